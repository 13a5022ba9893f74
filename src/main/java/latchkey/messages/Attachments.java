package latchkey.messages;

import latchkey.db.Daos;
import latchkey.uploads.Upload;
import latchkey.uploads.UploadDao;
import latchkey.uploads.UploadRow;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Messages as the API shows them: each row with the uploads it carries, read in one query per page. */
public final class Attachments {
    private Attachments() {
    }

    public static Message of(Daos d, MessageRow row) {
        return of(d, List.of(row)).get(0);
    }

    public static List<Message> of(Daos d, List<MessageRow> rows) {
        List<Long> ids = new ArrayList<>();
        for (MessageRow row : rows) {
            if (!row.deleted()) ids.add(row.id());
        }
        Map<Long, List<Upload>> byMessage = new HashMap<>();
        if (!ids.isEmpty()) {
            for (UploadRow upload : d.dao(UploadDao.class).ofMessages(ids)) {
                byMessage.computeIfAbsent(upload.messageId(), id -> new ArrayList<>()).add(upload.view());
            }
        }
        List<Message> messages = new ArrayList<>(rows.size());
        for (MessageRow row : rows) messages.add(Message.of(row, byMessage.getOrDefault(row.id(), List.of())));
        return messages;
    }
}
