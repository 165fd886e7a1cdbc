package com.powerwatch.platform.mobile;

import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.core.io.Resource;
import org.springframework.http.CacheControl;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;
import org.springframework.web.util.HtmlUtils;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * 手机App下载, open to anyone like the login page that links to it (SecurityConfig.WEB_APP has {@code /app/**}; the APK
 * holds no secret, every datum comes from the API with a login):
 * <ul>
 *   <li>{@code /app/} — the download page: version, size, the QR code, install steps, checksums;</li>
 *   <li>{@code /app/powerwatch.apk} — the APK (resumable: Range requests are answered);</li>
 *   <li>{@code /app/qr.svg} — the QR code of the APK's link, which the phone's camera opens to download and the app
 *       scans to learn the server address (shown on the login page too);</li>
 *   <li>{@code /app/app.json} — the description, for scripts.</li>
 * </ul>
 * One handler for {@code /app/**}, so the public pattern is exactly the one SecurityConfig opens.
 */
@Controller
@Hidden // pages and files, not API
public class AppDownloadController {

    static final String APK_TYPE = "application/vnd.android.package-archive";

    private final AppPackage app;
    private final MobileProperties properties;

    public AppDownloadController(AppPackage app, MobileProperties properties) {
        this.app = app;
        this.properties = properties;
    }

    @GetMapping("/app/**")
    public ResponseEntity<?> serve(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return switch (path) {
            case "/app", "/app/", "/app/index.html" -> page(base());
            case "/app/powerwatch.apk" -> apk();
            case "/app/qr.svg" -> ResponseEntity.ok().cacheControl(CacheControl.noCache())
                    .contentType(MediaType.valueOf("image/svg+xml")).body(QrSvg.svg(apkUrl(base())));
            case "/app/app.json" -> description();
            default -> ResponseEntity.notFound().build();
        };
    }

    /** The platform's address as phones reach it: configured, or the one this request came to. */
    private String base() {
        String configured = properties.publicUrl().strip();
        String b = configured.isEmpty() ? ServletUriComponentsBuilder.fromCurrentContextPath().build().toUriString() : configured;
        return b.endsWith("/") ? b.substring(0, b.length() - 1) : b;
    }

    static String apkUrl(String base) {
        return base + "/app/powerwatch.apk";
    }

    private ResponseEntity<?> apk() {
        Optional<Resource> apk = app.apk();
        if (apk.isEmpty()) {
            return ResponseEntity.notFound().build();
        }
        String version = app.info().map(AppPackage.Info::versionName).orElse("");
        String name = version.matches("[0-9A-Za-z._-]+") ? "powerwatch-" + version + ".apk" : "powerwatch.apk";
        HttpHeaders h = new HttpHeaders();
        h.setContentDisposition(ContentDisposition.attachment().filename(name).build());
        app.info().map(AppPackage.Info::sha256).filter(s -> s.matches("[0-9a-f]{64}")).ifPresent(s -> h.setETag("\"" + s + "\""));
        return ResponseEntity.ok().headers(h).cacheControl(CacheControl.noCache()).contentType(MediaType.valueOf(APK_TYPE))
                .body(apk.get());
    }

    private ResponseEntity<?> description() {
        Optional<AppPackage.Info> info = app.info();
        if (info.isEmpty()) {
            return ResponseEntity.notFound().build();
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("info", info.get());
        m.put("downloadUrl", apkUrl(base()));
        m.put("server", base());
        return ResponseEntity.ok().cacheControl(CacheControl.noCache()).contentType(MediaType.APPLICATION_JSON).body(m);
    }

    private ResponseEntity<?> page(String base) {
        Optional<AppPackage.Info> info = app.info();
        StringBuilder h = new StringBuilder(4096);
        h.append("<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<title>用电监控 手机App下载</title><style>")
                .append("body{margin:0;font:15px/1.7 -apple-system,'PingFang SC','Microsoft YaHei','Noto Sans CJK SC',sans-serif;")
                .append("color:#303133;background:#f2f5f9}main{max-width:720px;margin:0 auto;padding:24px 16px}")
                .append(".card{background:#fff;border-radius:8px;padding:20px 24px;margin-bottom:16px;box-shadow:0 1px 4px rgba(0,0,0,.06)}")
                .append("h1{font-size:22px;margin:0 0 4px}.muted{color:#909399;font-size:13px}")
                .append(".row{display:flex;gap:24px;align-items:center;flex-wrap:wrap}.qr{width:200px;height:200px}")
                .append(".btn{display:inline-block;background:#2e7d32;color:#fff;text-decoration:none;padding:10px 22px;border-radius:6px;")
                .append("font-size:16px;margin:8px 8px 0 0}.btn.plain{background:#fff;color:#2e7d32;border:1px solid #2e7d32}")
                .append(".warn{background:#fdf6ec;border:1px solid #f5dab1;color:#b26a00;border-radius:6px;padding:10px 14px}")
                .append("ol{padding-left:20px;margin:8px 0}code{word-break:break-all;font-size:12px}")
                .append("</style></head><body><main>");
        h.append("<div class=\"card\"><h1>用电监控 手机App</h1><div class=\"muted\">固定污染源用电监控平台 · Android 手机</div>");
        if (info.isEmpty()) {
            h.append("<p class=\"warn\" data-test=\"app-missing\">本次构建未包含手机App安装包，请联系系统运维人员。</p></div>");
        } else {
            AppPackage.Info i = info.get();
            h.append("<div class=\"row\"><img class=\"qr\" src=\"qr.svg\" alt=\"下载二维码\" data-test=\"app-qr\">")
                    .append("<div><p data-test=\"app-version\">版本 ").append(esc(i.versionName()))
                    .append(i.versionCode() == null ? "" : "（" + i.versionCode() + "）")
                    .append(i.sizeBytes() == null ? "" : " · " + (i.sizeBytes() + 1023) / 1024 + " KB")
                    .append(" · 适用于 Android 7.0 及以上</p>")
                    .append("<a class=\"btn\" href=\"powerwatch.apk\" data-test=\"app-download\">下载安装包</a>")
                    .append("<a class=\"btn plain\" href=\"").append(esc(deepLink(base))).append("\">已安装？在App中打开</a></div></div>");
            if ("debug".equals(i.signer())) {
                h.append("<p class=\"warn\" data-test=\"app-debug-signed\">此安装包使用调试密钥签名，仅供测试；正式发放前请由运维人员用本局的发布密钥签名（见 docs/mobile.md）。</p>");
            }
            h.append("</div>");
        }
        h.append("<div class=\"card\"><b>安装与设置</b><ol>")
                .append("<li>用手机自带的浏览器或相机扫描上面的二维码，下载安装包。微信、钉钉内打开时通常会拦截安装包，请点右上角选择“在浏览器打开”。</li>")
                .append("<li>安装时若提示“禁止安装未知来源应用”，请按提示允许本次安装。</li>")
                .append("<li>打开App，点“扫描二维码”再扫一次本页（或电脑登录页）的二维码，或输入服务器地址：<b data-test=\"app-server\">")
                .append(esc(base)).append("</b></li>")
                .append("<li>用平台账号登录。请允许通知，才能在App不在前台时收到新报警和新消息的提醒（约每 15 分钟检查一次）。")
                .append("华为、小米、OPPO、vivo 等手机还需在系统设置中允许本应用“自启动”或“后台运行”。</li></ol></div>");
        info.ifPresent(i -> h.append("<div class=\"card muted\">校验信息<br>安装包 SHA-256：<code data-test=\"app-sha256\">")
                .append(esc(i.sha256())).append("</code><br>签名证书 SHA-256：<code>").append(esc(i.certificateSha256()))
                .append("</code></div>"));
        h.append("<p class=\"muted\"><a href=\"").append(esc(base)).append("/login\">返回登录页</a></p></main></body></html>");
        return ResponseEntity.ok().cacheControl(CacheControl.noCache()).contentType(new MediaType("text", "html", StandardCharsets.UTF_8))
                .body(h.toString());
    }

    /** The app's deep link that fills in the server address (the person still confirms in the app). */
    static String deepLink(String base) {
        return "powerwatch://connect?server=" + URLEncoder.encode(base, StandardCharsets.UTF_8);
    }

    private static String esc(String s) {
        return s == null ? "" : HtmlUtils.htmlEscape(s, "UTF-8");
    }
}
