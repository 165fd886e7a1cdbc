package com.powerwatch.platform.registry;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * {@code powerwatch.registry.excel-import.*}: what one registry Excel import may cost the server. The upload itself is
 * limited by {@code spring.servlet.multipart.max-file-size} (10 MB).
 *
 * @param maxRows          data rows a sheet may hold (not counting the header); a larger registry is imported in
 *                         parts, e.g. one district's export at a time
 * @param maxUnpackedSize  the workbook's XML as unpacked from the zip (sheets, shared strings, styles) — a small .xlsx
 *                         can unpack to gigabytes
 * @param maxErrors        row errors listed in the answer; the total count is always given
 */
@ConfigurationProperties("powerwatch.registry.excel-import")
public record ExcelImportProperties(@DefaultValue("20000") int maxRows,
                                    @DefaultValue("64MB") DataSize maxUnpackedSize,
                                    @DefaultValue("200") int maxErrors) {
}
