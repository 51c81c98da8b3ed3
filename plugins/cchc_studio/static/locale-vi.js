// Vietnamese for the strings Decap CMS's own vi locale lacks (checked by tests/site/test_studio_config.py
// against the pinned decap-cms-locales: every English key must have a Vietnamese string), and in
// plain words where its own reads as a word-for-word translation ("Không thể giữ lại mục",
// "Lấy những cái đã chọn", "bộ sưu tập") or dates the review board in English ("7 December").
// cms-init.js merges this over Decap's vi locale (CMS.registerLocale).
window.CCHC_VI_FILL = {
  app: {
    header: { content: "Bài viết", workflow: "Duyệt bài", media: "Ảnh và tệp", quickAdd: "Viết bài mới" },
    app: { errorHeader: "Không tải được cấu hình của trình soạn bài", checkConfigYml: "Hãy báo người quản trị kỹ thuật.",
           waitingBackend: "Đang kết nối máy chủ lưu bài…", loadingConfig: "Đang tải…" }
  },
  auth: {
    loginWithAzure: "Đăng nhập bằng Azure",
    loginWithForgejo: "Đăng nhập bằng Forgejo"
  },
  collection: {
    sidebar: { collections: "Loại bài", allCollections: "Mọi loại bài", searchAll: "Tìm trong mọi bài",
               searchIn: "Tìm trong" },
    collectionTop: { viewAs: "Xem dạng", viewAsList: "Xem dạng danh sách", viewAsGrid: "Xem dạng lưới",
                     groupBy: "Nhóm theo", newButton: "＋ Viết %{collectionLabel}",
                     newButtonAriaLabel: "Viết bài mới loại %{collectionLabel}",
                     searchResults: "Kết quả tìm “%{searchTerm}”",
                     searchResultsInCollection: "Kết quả tìm “%{searchTerm}” trong %{collection}" },
    entries: { unpublishedHeader: "Bài chưa đăng", cachingEntries: "Đang tải…", noEntries: "Chưa có bài nào" },
    groups: { other: "Khác", negateLabel: "Không phải %{label}" }
  },
  editor: {
    editorControl: { field: { widgetLabel: "Trường %{widgetLabel}" } },
    editorControlPane: {
      widget: {
        required: "Cần điền “%{fieldLabel}”.",
        regexPattern: "“%{fieldLabel}”: %{pattern}.",
        invalidPath: "Đường dẫn “%{path}” không dùng được",
        pathExists: "Đã có bài ở đường dẫn “%{path}”"
      },
      i18n: {
        writingInLocale: "Đang viết bằng %{locale}",
        copyFromLocale: "Điền từ ngôn ngữ khác",
        copyFromLocaleConfirm: "Điền dữ liệu từ ngôn ngữ %{locale}?\nMọi nội dung hiện có sẽ bị ghi đè."
      }
    },
    editor: {
      onLeavePage: "Bài chưa lưu. Rời trang này?",
      onUpdatingWithUnsavedChanges: "Bài có thay đổi chưa lưu: hãy bấm Lưu trước khi đổi trạng thái.",
      onPublishingNotReady: "Hãy chuyển bài sang “Sẵn sàng” trước khi công bố.",
      onPublishingWithUnsavedChanges: "Bài có thay đổi chưa lưu: hãy bấm Lưu trước khi công bố.",
      onPublishing: "Công bố bài này lên cổng?",
      onUnpublishing: "Gỡ bài này khỏi cổng?",
      onDeletePublishedEntry: "Xóa hẳn bài đã đăng này?",
      onDeleteUnpublishedChanges: "Bỏ mọi thay đổi chưa đăng của bài này?",
      onDeleteUnpublishedChangesWithUnsavedChanges: "Bỏ mọi thay đổi chưa đăng của bài này, kể cả những gì vừa sửa mà chưa lưu?",
      onDeleteWithUnsavedChanges: "Xóa hẳn bài đã đăng này, kể cả những gì vừa sửa mà chưa lưu?",
      confirmLoadBackup: "Trình duyệt còn giữ một bản đang viết dở của bài này. Mở bản đó?"
    },
    editorInterface: {
      toggleI18n: "Bật/tắt đa ngôn ngữ",
      togglePreview: "Bật/tắt xem trước",
      toggleScrollSync: "Cuộn đồng thời",
      toggleNotes: "Bật/tắt ghi chú"
    },
    editorNotesPane: {
      title: "Ghi chú",
      emptyState: "Chưa có ghi chú. Thêm ghi chú đầu tiên ở bên dưới để cùng trao đổi.",
      addNote: "Thêm ghi chú",
      addPlaceholder: "Thêm ghi chú...",
      editPlaceholder: "Sửa ghi chú...",
      save: "Lưu",
      cancel: "Hủy",
      edit: "Sửa",
      delete: "Xóa",
      resolve: "Đã xử lý",
      unresolve: "Chưa xử lý",
      confirmDelete: "Bạn có chắc muốn xóa ghi chú này?",
      shortcut: "Mẹo: nhấn Ctrl+Enter để thêm ghi chú nhanh"
    },
    editorToolbar: {
      backCollection: " Đang viết trong mục %{collectionLabel}",
      unsavedChanges: "Chưa lưu", changesSaved: "Đã lưu",
      deleteUnpublishedChanges: "Bỏ các thay đổi chưa đăng", deleteUnpublishedEntry: "Xóa bài chưa đăng",
      deletePublishedEntry: "Xóa bài đã đăng", deleteEntry: "Xóa bài",
      unpublish: "Gỡ khỏi cổng", unpublishing: "Đang gỡ…", publishAndCreateNew: "Công bố rồi viết bài mới",
      publishAndDuplicate: "Công bố rồi viết bài tương tự", duplicate: "Viết bài tương tự",
      deployPreviewPendingButtonLabel: "Xem bản xem trước", deployButtonLabel: "Xem trên cổng",
      // The review states named as in docs/staff-guide.md: Nháp → Chờ duyệt → Sẵn sàng.
      status: "Trạng thái: %{status}",
      draft: "Nháp",
      inReview: "Chờ duyệt",
      ready: "Sẵn sàng",
      statusInfoTooltipDraft: "Bài đang là bản nháp. Để gửi duyệt, chuyển trạng thái sang “Chờ duyệt”",
      statusInfoTooltipInReview: "Bài đang chờ duyệt, không cần làm gì thêm. Bạn vẫn có thể sửa trong khi chờ duyệt."
    },
    editorWidgets: {
      markdown: {
        bold: "Đậm", italic: "Nghiêng", strikethrough: "Gạch ngang", code: "Mã", link: "Liên kết",
        linkPrompt: "Nhập địa chỉ của liên kết", headings: "Tiêu đề mục", quote: "Trích dẫn",
        bulletedList: "Danh sách dấu chấm", numberedList: "Danh sách đánh số", addComponent: "Thêm thành phần",
        toggleMode: { rich: "Chuyển sang chế độ soạn thảo trực quan", markdown: "Chuyển sang chế độ Markdown" }
      },
      image: {
        choose: "Chọn ảnh", chooseDifferent: "Chọn ảnh khác", remove: "Bỏ ảnh",
        chooseMultiple: "Chọn ảnh", chooseUrl: "Chèn từ địa chỉ web", replaceUrl: "Thay bằng địa chỉ web",
        promptUrl: "Nhập địa chỉ của ảnh", addMore: "Thêm ảnh", removeAll: "Gỡ mọi ảnh"
      },
      file: {
        choose: "Chọn tệp", chooseDifferent: "Chọn tệp khác", remove: "Bỏ tệp",
        chooseUrl: "Chèn từ địa chỉ web", chooseMultiple: "Chọn tệp", replaceUrl: "Thay bằng địa chỉ web",
        promptUrl: "Nhập địa chỉ của tệp", addMore: "Thêm tệp", removeAll: "Gỡ mọi tệp"
      },
      datetime: { setToNow: "Đặt %{fieldLabel} là bây giờ" },
      list: { add: "Thêm %{item}", addType: "Thêm %{item}" },
      object: { expand: "Mở rộng", collapse: "Thu gọn" }
    }
  },
  workflow: {
    // The review board dates its cards day first, in numbers (Decap's vi says "D MMMM": English
    // month names, "7 December").
    workflow: { dateFormat: "DD/MM/YYYY", workflowHeading: "Duyệt bài", newPost: "Viết bài mới",
                loading: "Đang tải các bài chờ duyệt" },
    workflowCard: { lastChange: "Sửa ngày %{date}, bởi %{author}", lastChangeNoAuthor: "Sửa ngày %{date}",
                    lastChangeNoDate: "Sửa bởi %{author}", deleteChanges: "Bỏ thay đổi", deleteNewEntry: "Xóa bài mới",
                    publishChanges: "Công bố thay đổi", publishNewEntry: "Công bố bài mới" },
    workflowList: { draftHeader: "Nháp", inReviewHeader: "Chờ duyệt", readyHeader: "Sẵn sàng",
                    onDeleteEntry: "Xóa bài này?", onPublishEntry: "Công bố bài này lên cổng?",
                    onPublishingNotReadyEntry: "Chỉ bài ở cột “Sẵn sàng” mới công bố được: kéo thẻ bài sang cột đó." }
  },
  mediaLibrary: {
    mediaLibrary: { onDelete: "Xóa tệp này?", fileTooLarge: "Tệp quá lớn: tối đa %{size} kB." },
    mediaLibraryCard: { copy: "Sao chép", copyUrl: "Sao chép địa chỉ", copyPath: "Sao chép đường dẫn",
                        copyName: "Sao chép tên", copied: "Đã sao chép" },
    mediaLibraryModal: {
      close: "Đóng", chooseSelected: "Dùng tệp đã đánh dấu", deleteSelected: "Xóa tệp đã đánh dấu",
      images: "Ảnh", mediaAssets: "Ảnh và tệp", noImagesFound: "Chưa có ảnh nào.", noAssetsFound: "Chưa có tệp nào.",
      search: "Tìm tệp…", upload: "Tải lên từ máy", uploading: "Đang tải lên…", download: "Tải về máy",
      deleting: "Đang xóa…", private: "Riêng tư "
    }
  },
  ui: {
    settingsDropdown: { account: "Tùy chọn tài khoản" },
    toast: {
      onFailToLoadEntries: "Không tải được danh sách bài: %{details}",
      onFailToLoadDeployPreview: "Không tải được bản xem trước: %{details}",
      onFailToPersist: "Chưa lưu được bài: %{details}",
      onFailToDelete: "Không xóa được bài: %{details}",
      onFailToUpdateStatus: "Không đổi được trạng thái bài: %{details}",
      missingRequiredField: "Bài còn thiếu thông tin bắt buộc (ô viền đỏ): hãy điền rồi lưu lại.",
      entrySaved: "Đã lưu bài",
      entryPublished: "Đã công bố bài",
      entryUnpublished: "Đã gỡ bài khỏi cổng",
      onFailToPublishEntry: "Chưa công bố được: %{details}",
      onFailToUnpublishEntry: "Không gỡ được bài: %{details}",
      entryUpdated: "Đã đổi trạng thái bài",
      onDeleteUnpublishedChanges: "Đã bỏ các thay đổi chưa đăng",
      onLoggedOut: "Bạn đã đăng xuất: hãy chép lại phần đang viết rồi đăng nhập lại",
      onBackendDown: "Máy chủ lưu bài đang gặp sự cố. Xem %{details}",
      noteAdded: "Đã thêm ghi chú",
      onFailToAddNote: "Không thêm được ghi chú: %{details}",
      noteUpdated: "Đã cập nhật ghi chú",
      onFailToUpdateNote: "Không cập nhật được ghi chú: %{details}",
      noteDeleted: "Đã xóa ghi chú",
      onFailToDeleteNote: "Không xóa được ghi chú: %{details}",
      noteResolved: "Đã đánh dấu ghi chú là đã xử lý",
      noteReopened: "Đã mở lại ghi chú",
      onFailToToggleNote: "Không đổi được trạng thái ghi chú: %{details}"
    }
  }
};
