"""What the editor may ask of its local backend (decap-server): only the content folders it edits.

decap-server's API takes repository-relative paths and acts on any of them (read, write,
delete: ``.git/config``, ``studioconf.py``, which the next rebuild executes). The editor's
server (editor.py) passes a request on only when ``refusal(body)`` is None: an action of
decap-server's API, every path in it under a folder of the editor's own ``config.yml`` (a
collection folder: ``.md`` entries; a media folder: files of the types `cchc check` allows),
never ``..``, an absolute path, a hidden name or a symbolic link out of that folder; in git
mode (``make studio REVIEW=1``) the configured branch and the collection names and slugs
that decap-server turns into branch names ``cms/<collection>/<slug>``. The actions and their
parameters are those of decap-server 3.11.3 (its ``src/middlewares/joi/index.ts``, the
``localFs`` and ``localGit`` middlewares); an action it does not know is refused.
Replies that list files (``entriesByFolder``, ``getMedia``) are filtered the same way, so a
symbolic link placed in a content folder is not read through the editor either.
"""

import os
import re
from pathlib import Path, PurePosixPath

from cchc.core.files import ALLOWED_SUFFIXES

ENTRY_SUFFIX = ".md"
# Decap's workflow states (decap-server writes them into a branch description).
STATUSES = ("draft", "pending_review", "pending_publish")
# A slug or collection name decap-server may put into a git branch name: no "/", "..", space,
# leading "-" (a git option) or other character git or a shell treats specially.
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]+)*")
_LABEL_PREFIX = re.compile(r"[A-Za-z0-9_-]+/?")
# Path-valued parameters of each action (dotted: a list's items, a dict's key).
ACTIONS = {
    "info": (),
    "entriesByFolder": ("folder",),
    "entriesByFiles": ("files[].path",),
    "getEntry": ("path",),
    "unpublishedEntries": (),
    "unpublishedEntry": (),
    "unpublishedEntryDataFile": ("path",),
    "unpublishedEntryMediaFile": ("path",),
    "deleteUnpublishedEntry": (),
    "persistEntry": ("entry.path", "entry.newPath", "dataFiles[].path", "dataFiles[].newPath",
                     "assets[].path"),
    "updateUnpublishedEntryStatus": (),
    "publishUnpublishedEntry": (),
    "getMedia": ("mediaFolder",),
    "getMediaFile": ("path",),
    "persistMedia": ("asset.path",),
    "deleteFile": ("path",),
    "deleteFiles": ("paths[]",),
    "getDeployPreview": (),
}


class Refused(Exception):
    """A request the backend must not see; the message is Vietnamese, for the editor's screen."""


class Rules:
    """The folders (repository-relative, POSIX) and the branch the editor works on.

    *collections*: name → folder of `.md` entries; *media*: upload folders; *repo*: the
    repository root (decap-server's GIT_REPO_DIRECTORY); *content*: the folder every one of
    them must be inside; *branch*: the branch decap-server's git mode works against."""

    def __init__(self, repo, collections, media, content="content", branch="main"):
        self.repo = Path(repo).resolve()
        self.content = _clean(str(content), "thư mục nội dung")
        self.collections = {name: _clean(folder, "thư mục bài") for name, folder in collections.items()}
        self.media = tuple(dict.fromkeys(_clean(f.lstrip("/"), "thư mục ảnh, tệp") for f in media))
        self.branch = branch
        for folder in (*self.collections.values(), *self.media):
            if not _under(folder, self.content):
                raise ValueError(f"{folder} không nằm trong {self.content}/")

    @classmethod
    def from_config(cls, config, repo, content="content"):
        """Rules from the editor's config.yml as a dict (cchc_studio.editor_config)."""
        collections = {c["name"]: c["folder"] for c in config["collections"]}
        media = [config["media_folder"]]  # a field's own folder is written "/content/files" (from the repository root)

        def field_folders(fields):
            for f in fields:
                if f.get("media_folder"):
                    media.append(f["media_folder"])
                field_folders(f.get("fields", ()))

        for c in config["collections"]:
            if c.get("media_folder"):
                media.append(c["media_folder"])
            field_folders(c["fields"])
        return cls(repo, collections, media, content, config["backend"].get("branch", "main"))

    def folders_text(self):
        entries = ", ".join(f"{f}/" for f in self.collections.values())
        media = ", ".join(f"{f}/" for f in self.media)
        return f"{entries} (bài) và {media} (ảnh, tệp)"

    def _refuse_path(self, value, why):
        raise Refused(f"đường dẫn “{value}” bị từ chối: {why}. Trình soạn bài chỉ được đọc và ghi trong "
                      f"{self.folders_text()}.")

    def _real_under(self, rel, folder, value):
        """*rel* must stay inside *folder* once symbolic links are followed."""
        root = os.path.realpath(self.repo / folder)
        real = os.path.realpath(self.repo / rel)
        repo = os.path.realpath(self.repo)
        if not (root == repo or root.startswith(repo + os.sep)):
            self._refuse_path(value, f"thư mục {folder}/ là liên kết tượng trưng (symlink) ra ngoài kho")
        if not (real == root or real.startswith(root + os.sep)):
            self._refuse_path(value, f"đi qua liên kết tượng trưng (symlink) ra ngoài {folder}/")

    def check_path(self, value, kind="file"):
        """*value*: a path from the editor. kind "file" (an entry or a media file), "entry",
        "media", "entries-folder" or "media-folder". → the normalised path, or Refused."""
        if not isinstance(value, str) or not value:
            raise Refused("yêu cầu thiếu đường dẫn tệp")
        rel = _clean(value, None, self._refuse_path)
        if kind == "entries-folder":
            if rel not in self.collections.values():
                self._refuse_path(value, "không phải thư mục bài của trình soạn bài")
            self._real_under(rel, rel, value)
            return rel
        if kind == "media-folder":
            if rel not in self.media:
                self._refuse_path(value, "không phải thư mục ảnh, tệp của trình soạn bài")
            self._real_under(rel, rel, value)
            return rel
        suffix = PurePosixPath(rel).suffix.lower()
        if kind in ("file", "entry"):
            for folder in self.collections.values():
                if _under(rel, folder):
                    if suffix != ENTRY_SUFFIX:
                        self._refuse_path(value, f"thư mục bài chỉ chứa tệp {ENTRY_SUFFIX}")
                    self._real_under(rel, folder, value)
                    return rel
        if kind in ("file", "media"):
            for folder in self.media:
                if _under(rel, folder):
                    if suffix not in ALLOWED_SUFFIXES:
                        self._refuse_path(value, "loại tệp này không được đăng (chỉ tài liệu, ảnh, "
                                                 "âm thanh, video như README mục Bảo mật liệt kê)")
                    self._real_under(rel, folder, value)
                    return rel
        self._refuse_path(value, "nằm ngoài các thư mục của trình soạn bài")
        return None  # not reached

    def _name(self, params, key, required=True):
        value = params.get(key)
        if value is None and not required:
            return
        if not isinstance(value, str) or not _NAME.fullmatch(value) or len(value) > 200:
            raise Refused(f"giá trị “{value}” của {key} không hợp lệ (chỉ chữ không dấu, số, - và _)")

    def _collection(self, params, key="collection", required=True):
        value = params.get(key)
        if value is None and not required:
            return
        if value not in self.collections:
            raise Refused(f"không có mục bài “{value}” (chỉ: {', '.join(self.collections)})")

    def refusal(self, body):
        """None when *body* (a decoded JSON request of Decap's proxy backend) may be passed on,
        else the Vietnamese reason."""
        try:
            self._vet(body)
        except Refused as exc:
            return str(exc)
        return None

    def _vet(self, body):
        if not isinstance(body, dict) or body.get("action") not in ACTIONS:
            action = body.get("action") if isinstance(body, dict) else None
            raise Refused(f"bộ ghi bài không có thao tác “{action}”")
        action = body["action"]
        params = body.get("params")
        if action == "info":
            return
        if not isinstance(params, dict):
            raise Refused("yêu cầu thiếu tham số (params)")
        if params.get("branch") != self.branch:
            raise Refused(f"nhánh “{params.get('branch')}” không phải nhánh của trình soạn bài ({self.branch})")
        prefix = params.get("cmsLabelPrefix")
        if prefix not in (None, "") and not (isinstance(prefix, str) and _LABEL_PREFIX.fullmatch(prefix)):
            raise Refused("cmsLabelPrefix không hợp lệ")
        for spec in ACTIONS[action]:
            for value in _values(params, spec):
                kind = {"folder": "entries-folder", "mediaFolder": "media-folder",
                        "asset.path": "media", "assets[].path": "media"}.get(spec)
                if spec.endswith(("entry.path", "entry.newPath", "dataFiles[].path", "dataFiles[].newPath")):
                    kind = "entry"
                self.check_path(value, kind or "file")
        if action == "entriesByFolder":
            depth = params.get("depth")
            if not isinstance(depth, int) or isinstance(depth, bool) or not 0 <= depth <= 20:
                raise Refused("độ sâu thư mục (depth) không hợp lệ")
        if action in ("unpublishedEntryDataFile", "unpublishedEntryMediaFile", "deleteUnpublishedEntry",
                      "updateUnpublishedEntryStatus", "publishUnpublishedEntry", "getDeployPreview"):
            self._collection(params)
            self._name(params, "slug")
        if action == "unpublishedEntry":
            if params.get("id") is not None:
                key = params["id"]
                collection, _, slug = key.partition("/") if isinstance(key, str) else ("", "", "")
                self._collection({"collection": collection})
                self._name({"id": slug}, "id")
            else:
                self._collection(params)
                self._name(params, "slug")
        if action == "updateUnpublishedEntryStatus" and params.get("newStatus") not in STATUSES:
            raise Refused(f"trạng thái “{params.get('newStatus')}” không có (chỉ: {', '.join(STATUSES)})")
        if action == "persistEntry":
            files = params.get("dataFiles") or ([params["entry"]] if isinstance(params.get("entry"), dict) else [])
            if not files or not isinstance(params.get("options"), dict):
                raise Refused("yêu cầu lưu bài thiếu tệp bài hoặc tùy chọn")
            self._collection(params["options"], "collectionName", required=False)
            for data_file in files:
                self._name(data_file, "slug")
                new = data_file.get("newPath")
                old_folder = PurePosixPath(_clean(data_file["path"])).parent
                if new is not None and PurePosixPath(_clean(new)).parent != old_folder:
                    # decap-server would also move every other file of the old folder into the new one.
                    raise Refused(f"không được chuyển bài “{data_file['path']}” sang thư mục khác")
            status = params["options"].get("status")
            if params["options"].get("useWorkflow") and status not in STATUSES:
                raise Refused(f"trạng thái “{status}” không có (chỉ: {', '.join(STATUSES)})")

    def allowed_listing(self, action, reply):
        """*reply* of entriesByFolder / getMedia without the files the editor may not read."""
        if not isinstance(reply, list):
            return reply
        kind = "entry" if action == "entriesByFolder" else "media"
        kept = []
        for item in reply:
            path = item.get("file", {}).get("path") if action == "entriesByFolder" else item.get("path")
            try:
                self.check_path(path, kind)
            except Refused:
                continue
            kept.append(item)
        return kept


def _values(params, spec):
    """Values at *spec* in *params* ("files[].path", "entry.newPath", "paths[]")."""
    items = [params]
    for part in spec.split("."):
        many = part.endswith("[]")
        key = part[:-2] if many else part
        nxt = []
        for item in items:
            if not isinstance(item, dict) or item.get(key) is None:
                continue
            value = item[key]
            if many:
                if not isinstance(value, list):
                    raise Refused(f"{key} phải là một danh sách")
                nxt.extend(value)
            else:
                nxt.append(value)
        items = nxt
    return items


def _under(rel, folder):
    return rel == folder or rel.startswith(folder + "/")


def _clean(value, what=None, refuse=None):
    """A repository-relative POSIX path with no "", ".", ".." part, no leading "/" or "\\",
    no hidden name (".git", ".htaccess") and no control character; else ValueError or *refuse*."""
    def bad(why):
        if refuse is not None:
            refuse(value, why)
        raise ValueError(f"{what or 'đường dẫn'} “{value}”: {why}")

    if not isinstance(value, str) or not value.strip("/"):
        bad("trống")
    if "\\" in value or any(ord(ch) < 32 or ord(ch) == 127 for ch in value):
        bad("có ký tự \\ hoặc ký tự điều khiển")
    if value.startswith("/") or re.match(r"[A-Za-z]:", value):
        bad("là đường dẫn tuyệt đối")
    parts = value.rstrip("/").split("/")
    if any(p in ("", ".", "..") for p in parts):
        bad("có phần “..”, “.” hoặc “//”")
    if any(p.startswith(".") for p in parts):
        bad("có tên ẩn (bắt đầu bằng dấu chấm)")
    return "/".join(parts)
