package dev.troupe.model;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The three forms an image or video slot accepts: {@code asset://asset_<id>}, an {@code https://} URL
 * with a host, or a base64 {@code data:} URI of the right media type and bounded size.
 */
final class AssetReferenceRule {

    private static final Pattern ASSET = Pattern.compile("asset://asset_[A-Za-z0-9_-]+");
    private static final Pattern DATA_HEADER =
            Pattern.compile("([A-Za-z0-9.+-]+)/[A-Za-z0-9.+-]+;base64", Pattern.CASE_INSENSITIVE);
    private static final String FORMS = "asset://asset_<id>, https://<host>/... or data:<type>/<subtype>;base64,<payload>";

    private final int maxDataUriBytes;

    AssetReferenceRule(int maxDataUriBytes) {
        this.maxDataUriBytes = maxDataUriBytes;
    }

    /** The broken rule of {@code value} in a slot of {@code kind} (IMAGE or VIDEO), if any. */
    Optional<Violation> check(String path, FieldSpec.Kind kind, String value) {
        int colon = value.indexOf(':');
        String scheme = colon <= 0 ? "" : value.substring(0, colon).toLowerCase(Locale.ROOT);
        return switch (scheme) {
            case "asset" -> ASSET.matcher(value).matches()
                    ? Optional.empty()
                    : violation(path, "asset id", value,
                            "an asset reference must be asset://asset_<id>, the id made of letters, digits, '_' or '-'");
            case "https" -> checkHttps(path, value);
            case "http" -> violation(path, "https required", value, "plain http is refused: use an https:// URL");
            case "data" -> checkData(path, kind, value, colon + 1);
            default -> violation(path, "asset uri", value, "must be one of " + FORMS);
        };
    }

    private Optional<Violation> checkHttps(String path, String value) {
        try {
            URI uri = new URI(value);
            if (uri.isOpaque() || uri.getHost() == null || uri.getHost().isEmpty()) {
                return violation(path, "https uri", value, "an https URL needs a host, e.g. https://cdn.example.com/photo.png");
            }
            return Optional.empty();
        } catch (URISyntaxException e) {
            return violation(path, "https uri", value, "not a valid URL: " + e.getReason() + " at index " + e.getIndex());
        }
    }

    private Optional<Violation> checkData(String path, FieldSpec.Kind kind, String value, int headerStart) {
        String media = kind == FieldSpec.Kind.VIDEO ? "video" : "image";
        int comma = value.indexOf(',', headerStart);
        Matcher header = comma < 0 ? null : DATA_HEADER.matcher(value.substring(headerStart, comma));
        if (header == null || !header.matches()) {
            return violation(path, "data uri", value, "a data URI must be data:" + media + "/<subtype>;base64,<payload>");
        }
        if (!header.group(1).equalsIgnoreCase(media)) {
            return violation(path, "media type", value, "this slot takes " + media + ": expected data:" + media
                    + "/<subtype>;base64,..., got data:" + header.group(0));
        }
        int length = value.length() - comma - 1;
        if (length == 0) {
            return violation(path, "base64", value, "the data URI has no payload");
        }
        // Size from the length alone, so an oversized payload is never decoded.
        int padding = value.endsWith("==") ? 2 : value.endsWith("=") ? 1 : 0;
        long decodedBytes = (length - padding) * 3L / 4;
        if (decodedBytes > maxDataUriBytes) {
            return violation(path, "max data uri size", value, "the data URI carries " + decodedBytes
                    + " bytes, more than the " + maxDataUriBytes + " allowed inline; pass an https:// URL instead");
        }
        try {
            Base64.getDecoder().decode(value.substring(comma + 1));
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return violation(path, "base64", value, "the data URI payload is not valid base64: " + e.getMessage());
        }
    }

    private static Optional<Violation> violation(String path, String rule, String value, String message) {
        return Optional.of(Violation.of(path, rule, value, message));
    }
}
