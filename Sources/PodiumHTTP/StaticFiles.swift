import HTTPTypes
import Hummingbird

/// The pages' one stylesheet and one script, served by us (the CSP is `default-src 'self'`:
/// no inline style or script, no external font).
enum StaticFiles {
    static func add(to router: Router<PodiumContext>) {
        router.get("/static/podium.css") { _, _ in file(stylesheet, type: "text/css; charset=utf-8") }
        router.get("/static/status.js") { _, _ in file(script, type: "text/javascript; charset=utf-8") }
    }

    static func file(_ text: String, type: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = type
        headers[.cacheControl] = "public, max-age=300"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static let stylesheet = """
        *{box-sizing:border-box}
        html{-webkit-text-size-adjust:100%}
        body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;line-height:1.5;color:#1d232b;
        background:#f5f6f8}
        a{color:#1f5fbf}
        header.top{background:#1d2a3a;color:#fff}
        header.top nav{max-width:60rem;margin:0 auto;padding:.6rem 1rem;display:flex;flex-wrap:wrap;gap:.4rem 1.2rem;
        align-items:center}
        header.top a,header.top button.link{color:#fff;text-decoration:none}
        header.top a:hover,header.top button.link:hover{text-decoration:underline}
        header.top .brand{font-weight:700;font-size:1.1rem;margin-right:auto}
        main{max-width:60rem;margin:0 auto;padding:1rem}
        footer{max-width:60rem;margin:2rem auto 1rem;padding:0 1rem;color:#6a737d;font-size:.85rem}
        h1{font-size:1.6rem;margin:.4rem 0 .8rem;overflow-wrap:anywhere}
        h2{font-size:1.2rem;margin:1.6rem 0 .6rem}
        h3{font-size:1.05rem;margin:1.2rem 0 .4rem}
        .card{background:#fff;border:1px solid #dde1e6;border-radius:.5rem;padding:1rem;margin:0 0 1rem}
        .card h2{margin-top:0}
        .muted,.note{color:#5b6570;font-size:.9rem}
        .crumbs{font-size:.9rem;margin:.2rem 0}
        .crumbs a{margin-right:.3rem}
        .tabs{display:flex;flex-wrap:wrap;gap:.3rem .8rem;margin:.4rem 0 1rem;padding:0;list-style:none}
        .tabs a{display:inline-block;padding:.25rem .1rem}
        .tabs a[aria-current]{font-weight:700;color:#1d232b;text-decoration:none;border-bottom:2px solid #1f5fbf}
        dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.3rem 1rem;margin:0}
        dl.facts dt{color:#5b6570}
        dl.facts dd{margin:0;overflow-wrap:anywhere}
        .table,.board-table,.chart{overflow-x:auto;-webkit-overflow-scrolling:touch}
        table{border-collapse:collapse;width:100%;background:#fff}
        th,td{padding:.35rem .6rem;border-bottom:1px solid #e3e6ea;text-align:left;vertical-align:top}
        th{font-size:.85rem;color:#5b6570;font-weight:600;white-space:nowrap}
        td.num,table.board td{font-variant-numeric:tabular-nums;white-space:nowrap}
        td.wrap{overflow-wrap:anywhere;min-width:8rem}
        .chart svg{display:block;max-width:100%;height:auto;border:1px solid #dde1e6;background:#fff;margin:0 0 1rem}
        .status{display:inline-block;padding:.05rem .5rem;border-radius:1rem;font-size:.85rem;font-weight:600;
        background:#e8ebef}
        .status-scored{background:#dcf3e2;color:#175a2b}
        .status-queued,.status-running{background:#fff3cd;color:#6b4e00}
        .status-rejected,.status-failed{background:#fde2e1;color:#8a1c14}
        .state-open{color:#175a2b;font-weight:600}
        .state-closed{color:#8a1c14;font-weight:600}
        .state-upcoming{color:#6b4e00;font-weight:600}
        .flash{padding:.7rem 1rem;border-radius:.4rem;margin:0 0 1rem;overflow-wrap:anywhere}
        .flash-error{background:#fde2e1;border:1px solid #f3b8b4}
        .flash-ok{background:#dcf3e2;border:1px solid #a8dcb6}
        .secret{display:block;font-family:ui-monospace,Menlo,Consolas,monospace;background:#1d2a3a;color:#fff;
        padding:.6rem;border-radius:.3rem;overflow-wrap:anywhere;user-select:all}
        form.stack{display:grid;gap:.8rem;max-width:28rem}
        form.stack label{display:grid;gap:.2rem;font-weight:600}
        form.row{display:flex;flex-wrap:wrap;gap:.5rem;align-items:end}
        form.inline{display:inline;margin:0}
        input[type=text],input[type=password],input[type=email],select{font:inherit;padding:.45rem .5rem;
        border:1px solid #b8bfc7;border-radius:.3rem;width:100%;background:#fff}
        input[type=file]{font:inherit;max-width:100%}
        button,.button{font:inherit;padding:.45rem 1rem;border:0;border-radius:.3rem;background:#1f5fbf;color:#fff;
        cursor:pointer;text-decoration:none;display:inline-block}
        button.secondary{background:#e8ebef;color:#1d232b}
        button.danger{background:#b3261e}
        button.link{background:none;padding:0;color:#1f5fbf;text-decoration:underline}
        .readme pre,pre.text{background:#f0f2f5;padding:.7rem;border-radius:.3rem;overflow-x:auto;white-space:pre}
        .readme code,code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.9em;background:#f0f2f5;
        padding:0 .2rem;border-radius:.2rem}
        .readme pre code{background:none;padding:0}
        .progress{width:100%;height:1rem}
        ul.plain{padding-left:1.2rem}
        @media (max-width:40rem){
        main{padding:.7rem}
        h1{font-size:1.35rem}
        dl.facts{grid-template-columns:1fr;gap:0}
        dl.facts dd{margin-bottom:.4rem}
        th,td{padding:.3rem .4rem}
        }
        """

    /// Follows a queued or running submission (`?wait=20` long-polls) or a running job, and
    /// reloads the page once it is final; the page works without it (it has a refresh link).
    static let script = """
        (function () {
          'use strict';
          var live = document.querySelector('[data-poll]');
          if (!live || !window.fetch) { return; }
          var url = live.getAttribute('data-poll');
          var kind = live.getAttribute('data-kind');
          var status = document.getElementById('live-status');
          var detail = document.getElementById('live-detail');
          var failures = 0;
          function isFinal(body) {
            if (kind === 'job') { return body.state !== 'running'; }
            return body.status === 'scored' || body.status === 'rejected' || body.status === 'failed';
          }
          function show(body) {
            if (kind === 'job') {
              if (detail) { detail.textContent = body.done + ' of ' + body.total + ' submissions re-scored'; }
              var bar = document.getElementById('live-progress');
              if (bar && body.total > 0) { bar.max = body.total; bar.value = body.done; }
              return;
            }
            if (status) {
              status.textContent = body.status;
              status.className = 'status status-' + body.status;
            }
            if (detail) {
              detail.textContent = body.status === 'queued' && body.queue_position
                ? 'position ' + body.queue_position + ' in the queue' : (body.status === 'running' ? 'being evaluated' : '');
            }
          }
          function poll() {
            var target = kind === 'job' ? url : url + (url.indexOf('?') < 0 ? '?' : '&') + 'wait=20';
            fetch(target, { credentials: 'same-origin', headers: { 'Accept': 'application/json' } })
              .then(function (response) {
                if (!response.ok) { throw new Error('HTTP ' + response.status); }
                return response.json();
              })
              .then(function (body) {
                failures = 0;
                if (isFinal(body)) { window.location.reload(); return; }
                show(body);
                setTimeout(poll, kind === 'job' ? 1000 : 250);
              })
              .catch(function () {
                failures += 1;
                if (failures < 8) { setTimeout(poll, 2000 * failures); }
              });
          }
          poll();
        }());

        """
}
