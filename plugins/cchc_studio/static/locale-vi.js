// Vietnamese for the strings Decap CMS's own vi locale lacks (checked by tests/browser/test_studio.py
// against the pinned decap-cms-locales: every English key must have a Vietnamese string).
window.CCHC_VI_FILL = {
  auth: {
    loginWithAzure: "Đăng nhập bằng Azure",
    loginWithForgejo: "Đăng nhập bằng Forgejo"
  },
  collection: {
    collectionTop: { viewAsList: "Xem dạng danh sách", viewAsGrid: "Xem dạng lưới", groupBy: "Nhóm theo" },
    entries: { unpublishedHeader: "Bài chưa đăng" },
    groups: { other: "Khác", negateLabel: "Không phải %{label}" }
  },
  editor: {
    editorControl: { field: { widgetLabel: "Trường %{widgetLabel}" } },
    editorControlPane: {
      i18n: {
        writingInLocale: "Đang viết bằng %{locale}",
        copyFromLocale: "Điền từ ngôn ngữ khác",
        copyFromLocaleConfirm: "Điền dữ liệu từ ngôn ngữ %{locale}?\nMọi nội dung hiện có sẽ bị ghi đè."
      }
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
        chooseMultiple: "Chọn ảnh", chooseUrl: "Chèn từ địa chỉ web", replaceUrl: "Thay bằng địa chỉ web",
        promptUrl: "Nhập địa chỉ của ảnh", addMore: "Thêm ảnh", removeAll: "Gỡ mọi ảnh"
      },
      file: {
        chooseUrl: "Chèn từ địa chỉ web", chooseMultiple: "Chọn tệp", replaceUrl: "Thay bằng địa chỉ web",
        promptUrl: "Nhập địa chỉ của tệp", addMore: "Thêm tệp", removeAll: "Gỡ mọi tệp"
      },
      datetime: { setToNow: "Đặt %{fieldLabel} là bây giờ" },
      list: { add: "Thêm %{item}", addType: "Thêm %{item}" },
      object: { expand: "Mở rộng", collapse: "Thu gọn" }
    }
  },
  workflow: {
    workflowList: { draftHeader: "Nháp", inReviewHeader: "Chờ duyệt", readyHeader: "Sẵn sàng" }
  },
  mediaLibrary: {
    mediaLibraryCard: { copy: "Sao chép", copyUrl: "Sao chép địa chỉ", copyPath: "Sao chép đường dẫn",
                        copyName: "Sao chép tên", copied: "Đã sao chép" },
    mediaLibraryModal: { close: "Đóng" }
  },
  ui: {
    settingsDropdown: { account: "Tùy chọn tài khoản" },
    toast: {
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
