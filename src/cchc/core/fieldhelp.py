"""Vietnamese help for each front-matter field (hints in the web editor, `make studio`).

Keyed like ``schema.FIELDS``; a field without an entry gets its kind's hint. Sub-fields of
``legal_bases``/``targets``/``attachment`` are keyed ``name@sub``. The rules themselves stay in
``schema``: these lines only say them to the person filling the form.
"""

HINTS = {
    "title": "Tiêu đề đầy đủ, viết như trong văn bản.",
    "date": "Ngày đăng, giờ Việt Nam, ngày viết trước tháng (ví dụ 02/07/2021 15:39). "
            "Nếu nguồn không ghi ngày: để trống và chọn “Không rõ” ở ô độ tin cậy.",
    "date_status": "Để trống nếu chắc chắn. Nghi vấn hoặc Không rõ thì phải ghi lý do ở ô bên dưới.",
    "date_note": "Lý do ngày đăng nghi vấn hoặc không rõ, ví dụ: Trang gốc không ghi ngày đăng.",
    "modified": "Ngày cập nhật bài (nếu có sửa đổi nội dung sau khi đăng).",
    "slug": "Tùy chọn. Mặc định lấy từ tiêu đề, không dấu, ví dụ day-manh-cai-cach.",
    "summary": "Một hai câu tóm tắt, hiện ở danh sách bài và kết quả tìm kiếm.",
    "author": "Người viết, ví dụ: Trần Trung Kiên - Trưởng phòng CCHC.",
    "source_unit": "Đơn vị đưa tin, ví dụ: Trung tâm VH-TT&TT Tây Hồ.",
    "source_ref": "Dòng “Nguồn: …” của bài, nếu có.",
    "locality": ("Đơn vị hành chính lúc đăng bài (bài năm 2021: Quận Tây Hồ; từ 01/07/2025: Phường Tây Hồ). "
                 "Gõ tên cũ hay mới, có dấu hay không dấu, rồi chọn trong danh sách."),
    "province": "Tỉnh, thành phố lúc đăng bài, khi tên địa phương trùng ở nhiều tỉnh, ví dụ: Thành phố Hà Nội.",
    "areas": "Chọn ít nhất một lĩnh vực cải cách hành chính.",
    "tags": "Từ khóa, mỗi từ khóa cách nhau bằng dấu phẩy.",
    "plans": "Các kế hoạch mà tin này nói đến (chọn từ các kế hoạch đã có).",
    "news": "Các tin bài về kế hoạch này (chọn từ các tin đã có; cần ít nhất một).",
    "doc_type": "Loại văn bản của kế hoạch.",
    "doc_number": "Số ký hiệu đúng như trên văn bản: 179/KH-UBND, 93/2007/QĐ-TTg, văn bản của Đảng 16-NQ/TU. "
                  "Nguồn không nêu thì để trống và ghi lý do ở ô bên dưới; không tự đặt số.",
    "doc_number_note": "Bắt buộc khi để trống số ký hiệu: vì sao chưa có số.",
    "issuer": "Tên cơ quan ban hành tại thời điểm ban hành, ví dụ: UBND huyện Tam Dương.",
    "issue_date": "Ngày ban hành, ngày viết trước tháng (ví dụ 03/11/2021).",
    "issue_date_note": "Khi nguồn không nêu ngày ban hành: ghi lý do.",
    "period": "Một năm (2024) hoặc một giai đoạn (2021-2025).",
    "lead_unit": "Đơn vị chủ trì thực hiện, ví dụ: Phòng Nội vụ huyện Tam Dương.",
    "legal_bases": "Các văn bản làm căn cứ: số ký hiệu, hoặc cách dẫn nguyên văn khi văn bản không có số.",
    "targets": "Chỉ tiêu định lượng, kèm câu trích nguyên văn từ nguồn.",
    "attachment": "Tệp gốc (PDF) của văn bản, nếu có.",
    "history_note": "Ví dụ: Huyện Tam Dương không còn là đơn vị hành chính cấp huyện từ 01/7/2025.",
    "status": "Bật để lưu nháp: bài không được đăng lên cổng.",
    "old_paths": "Đường dẫn trên cổng cũ (do công cụ chuyển bài ghi); thường không cần sửa.",
    "source_url": "Địa chỉ bài trên cổng cũ (do công cụ chuyển bài ghi).",
    "source_section": "Chuyên mục trên cổng cũ (do công cụ chuyển bài ghi).",
    "plone_uid": "Mã trên Plone (do công cụ chuyển bài ghi); không sửa.",
    "lang": "Trang tiếng Anh có đường dẫn /en/<slug>/.",
    "template": "Để trống; trang liên hệ dùng contact.",
    "order": "Thứ tự trong trình đơn (số nguyên).",
    "changes": "Mỗi lần sửa nội dung sau khi đăng: ngày và nội dung thay đổi, mới nhất trước.",
    "validity": "Văn bản còn hiệu lực, hết hiệu lực hay chưa rõ (chỉ chọn khi đã tra văn bản gốc).",
    "effective_date": ("Ngày văn bản bắt đầu có hiệu lực, theo văn bản gốc. Chưa biết thì để trống "
                       "(trang ghi “Chưa rõ”)."),
    "official_url": "Địa chỉ văn bản trên cổng của cơ quan ban hành hoặc cơ sở dữ liệu văn bản chính thức; "
                    "chỉ ghi địa chỉ đã mở được, không đoán.",
    "checked": "Ngày cán bộ đối chiếu các thông tin này với văn bản gốc lần gần nhất.",
    "replaced_by": "Văn bản thay thế văn bản này và ngày thay thế có hiệu lực.",
    "repealed_by": "Văn bản bãi bỏ văn bản này và ngày bãi bỏ có hiệu lực.",
    "amended_by": "Văn bản sửa đổi, bổ sung văn bản này và ngày có hiệu lực.",
    "image": "Ảnh hiện khi chia sẻ bài lên mạng xã hội, kèm mô tả ảnh.",
    "counterpart": "Đường dẫn (slug) của trang cùng nội dung ở ngôn ngữ kia.",
    "note@sub": "Nội dung thay đổi, hoặc ghi chú.",
    "alt@sub": "Mô tả ngắn nội dung ảnh cho người không xem được ảnh.",
    "number@sub": "Ví dụ 76/NQ-CP.",
    "reference@sub": "Khi văn bản không có số ký hiệu: cách dẫn nguyên văn.",
    "date@sub": "Ngày ban hành, ngày viết trước tháng.",
    "value@sub": "Một số, ví dụ 95 hoặc 96,6.",
    "quote@sub": "Câu trích nguyên văn từ nguồn.",
    "path@sub": "Tải tệp lên (PDF, Word…); tệp nằm trong content/files/.",
}

# By kind (schema.FIELDS[name][1], the part before ":"): the fallback for a field without a hint.
KIND_HINTS = {
    "date": "Ngày viết trước tháng: ngày/tháng/năm, ví dụ 25/11/2021.",
    "slug": "Chữ thường không dấu, số và dấu gạch ngang.",
    "slugs": "Chọn từ các bài đã có.",
    "list": "Mỗi mục cách nhau bằng dấu phẩy.",
    "paths": "Đường dẫn bắt đầu bằng /.",
    "url": "Địa chỉ đầy đủ, bắt đầu bằng https://.",
    "int": "Số nguyên.",
    "docnum": "Số ký hiệu, ví dụ 179/KH-UBND.",
    "period": "Một năm hoặc một giai đoạn.",
    "id": "Chữ, số và - _ : . (ít nhất 6 ký tự).",
    "text": "",
    "choice": "",
}
