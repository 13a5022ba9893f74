package latchkey.uploads;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import latchkey.http.FileLinks;

import java.time.Instant;

/** An upload as the API shows it; its URLs are signed for whoever the response is written for ({@link FileLinks}). */
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonPropertyOrder({"id", "name", "content_type", "size", "width", "height", "url", "thumbnail_url", "created_at"})
public record Upload(long id, String name, String contentType, long size, Integer width, Integer height, Instant createdAt,
                     @JsonIgnore boolean hasThumbnail) {
    static Upload of(UploadRow row) {
        return new Upload(row.id(), row.name(), row.contentType(), row.size(), row.width(), row.height(),
                Instant.ofEpochMilli(row.createdAt()), row.thumbKey() != null);
    }

    @JsonProperty("url")
    public String url() {
        return FileLinks.current().url(id, false);
    }

    @JsonProperty("thumbnail_url")
    public String thumbnailUrl() {
        return hasThumbnail ? FileLinks.current().url(id, true) : null;
    }
}
