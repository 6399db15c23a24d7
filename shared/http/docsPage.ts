/**
 * The API reference page (GET /docs): Swagger UI rendering /openapi.json in
 * the browser. Every URL is relative (`docs/…`, `openapi.json`), so the page
 * works on any host or stage; nothing is loaded from outside this API, and
 * the start script is a file of its own, so the page needs no inline script.
 */
export const DOCS_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  // Swagger UI sets style attributes on its elements.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export const DOCS_PAGE = `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>互助 API 参考 · Huzhu API reference</title>
<link rel="stylesheet" href="docs/swagger-ui.css">
</head>
<body>
<header style="font-family: system-ui, "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif; padding: 0.5rem 1rem; background: #f4f6f8; border-bottom: 1px solid #dde">
  <strong>职工医疗互助 · 接口参考</strong>
  — 由 <a href="openapi.json">openapi.json</a> 生成。令牌：本地用 <code>npm run token</code>，AWS 中为 Cognito ID 令牌。
</header>
<div id="swagger-ui"></div>
<script src="docs/swagger-ui-bundle.js"></script>
<script src="docs/init.js"></script>
</body>
</html>
`;

export const DOCS_INIT_SCRIPT = `window.addEventListener('load', function () {
  window.ui = SwaggerUIBundle({ url: 'openapi.json', dom_id: '#swagger-ui', deepLinking: true, validatorUrl: null });
});
`;

/** A page with no script at all: its own style attribute and links only. */
export const PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** `/`: where a person who opens the API's address lands (relative links, so any host or stage works). */
/** `/`: leads to the console (SPEC §8) — `consoleUrl` is the console's own address (the CloudFront site in AWS, /console/ locally). */
export const homePage = (consoleUrl: string) => `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>职工医疗互助 · Huzhu</title>
</head>
<body style="font-family: system-ui, "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif; max-width: 40rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.6">
<h1>职工医疗互助</h1>
<p>这里是职工医疗互助系统。</p>
<p style="font-size: 1.2rem"><a href="${escapeAttr(consoleUrl)}">进入工作台</a>：经办人、办事处和总工会工作人员在这里登记名单、申请和审核互助金、查看报表。</p>
<p>接口服务：</p>
<ul>
<li><a href="docs">接口参考（API reference）</a>：每个接口的参数、返回内容和错误代码</li>
<li><a href="openapi.json">openapi.json</a>：机器可读的接口说明（OpenAPI 3.1）</li>
<li><a href="health">health</a>：服务是否正常</li>
</ul>
</body>
</html>
`;

const escapeAttr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
