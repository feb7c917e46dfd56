import Foundation

/// The site's one style sheet and one script, `assets/site.css` and `assets/site.js` beside the pages: the
/// only things a page loads (from its own site: `'self'` in its Content-Security-Policy, which Chromium
/// applies to `file://` pages too), so a page carries only its own content.
enum SiteAssets {
    static let stylePath = "assets/site.css"
    static let scriptPath = "assets/site.js"

    static let style = """
        :root{--bg:#fdfdfc;--fg:#1d2125;--muted:#5b636b;--line:#d9dde1;--panel:#f3f5f7;\
        --link:#0b5cad;--pass:#176b32;--pass-bg:#e3f4e8;--fail:#a8191f;--fail-bg:#fbe5e6;--warn:#8a5300;\
        --warn-bg:#fdf0d5;--skip:#555d66;--skip-bg:#eceff2;--accent:#0b5cad;--bound:#a8191f}
        @media (prefers-color-scheme:dark){:root{--bg:#15181b;--fg:#e4e7ea;--muted:#9aa3ab;--line:#343a40;\
        --panel:#1e2226;--link:#7db7f0;--pass:#7ed69b;--pass-bg:#17301f;--fail:#f59a9e;--fail-bg:#3a1b1d;\
        --warn:#f2c46d;--warn-bg:#362a12;--skip:#b3bac1;--skip-bg:#262b30;--accent:#7db7f0;--bound:#f59a9e}}
        *{box-sizing:border-box}
        body{margin:0;background:var(--bg);color:var(--fg);font:15px/1.5 system-ui,-apple-system,"Segoe UI",\
        Roboto,"Noto Sans",sans-serif}
        header,main,footer{max-width:72rem;margin:0 auto;padding:0 1rem}
        header{padding-top:1rem}
        nav ol{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:.25rem;color:var(--muted)}
        nav li+li::before{content:"/";margin-right:.25rem}
        h1{font-size:1.6rem;margin:.5rem 0 .25rem}
        h2{font-size:1.2rem;margin:2rem 0 .5rem;padding-bottom:.25rem;border-bottom:1px solid var(--line)}
        h3{font-size:1rem;margin:1.25rem 0 .5rem}
        p{margin:.25rem 0 .75rem}
        a{color:var(--link)}
        code,.mono{font-family:ui-monospace,"SFMono-Regular",Menlo,Consolas,monospace;font-size:.9em}
        .muted{color:var(--muted)}
        .date{white-space:nowrap}
        .scroll{overflow-x:auto;margin:.5rem 0 1rem;border:1px solid var(--line);border-radius:6px}
        table{border-collapse:collapse;width:100%;font-variant-numeric:tabular-nums}
        th,td{padding:.4rem .6rem;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
        thead th{background:var(--panel);font-weight:600;white-space:nowrap}
        tbody tr:last-child td,tbody tr:last-child th{border-bottom:0}
        td.num,th.num{text-align:right;white-space:nowrap}
        th button{font:inherit;color:inherit;background:none;border:0;padding:0;cursor:pointer;text-align:inherit}
        th button::after{content:" \\2195";color:var(--muted)}
        th[aria-sort=ascending] button::after{content:" \\2191"}
        th[aria-sort=descending] button::after{content:" \\2193"}
        .badge{display:inline-block;padding:0 .45rem;border-radius:999px;font-size:.85em;font-weight:600;\
        white-space:nowrap}
        .pass{color:var(--pass);background:var(--pass-bg)}
        .fail{color:var(--fail);background:var(--fail-bg)}
        .warn{color:var(--warn);background:var(--warn-bg)}
        .skip,.waived{color:var(--skip);background:var(--skip-bg)}
        dl.facts{display:grid;grid-template-columns:max-content minmax(0,1fr);gap:.25rem 1rem;margin:.5rem 0 1rem}
        dl.facts dt{color:var(--muted)}
        dl.facts dd{margin:0;min-width:0;overflow-wrap:anywhere}
        .charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(24rem,1fr));gap:1rem}
        figure{margin:0;padding:.5rem;border:1px solid var(--line);border-radius:6px;background:var(--panel)}
        figcaption{font-size:.9em;color:var(--muted)}
        svg{display:block;width:100%;height:auto}
        svg text{fill:var(--muted);font-size:13px;font-family:inherit}
        svg .axis{stroke:var(--line)}
        svg .series{stroke:var(--accent);stroke-width:2;fill:none}
        svg .point{fill:var(--accent)}
        svg .bound{stroke:var(--bound);stroke-width:1.5;stroke-dasharray:5 4}
        svg .bar{fill:var(--accent)}
        svg .bar.over{fill:var(--fail)}
        svg .track{fill:var(--line)}
        .filter{margin:.5rem 0;display:flex;gap:.5rem;align-items:center;flex-wrap:wrap}.filter[hidden]{display:none}
        .filter input{font:inherit;padding:.3rem .5rem;border:1px solid var(--line);border-radius:4px;\
        background:var(--bg);color:var(--fg);min-width:16rem}
        footer{margin:3rem auto 2rem;color:var(--muted);font-size:.85em}
        @media (max-width:40rem){body{font-size:14px}header,main,footer{padding:0 .6rem}
        th,td{padding:.3rem .4rem}.charts{grid-template-columns:1fr}.filter input{min-width:0;width:100%}
        dl.facts{grid-template-columns:minmax(0,1fr);gap:0}dl.facts dd{margin-bottom:.5rem}
        table.stack thead{display:none}table.stack tr{display:block;border-bottom:1px solid var(--line);\
        padding:.4rem 0}table.stack th,table.stack td{display:block;border:0;padding:.1rem 0;text-align:left}\
        table.stack td[data-label]::before{content:attr(data-label) ": ";color:var(--muted)}}
        """

    /// Sorting for tables marked `data-sortable` (by a cell's `data-sort` when it has one) and filtering for
    /// rows marked `data-filter`: the pages read as plain tables with JavaScript off.
    static let script = """
        "use strict";
        for (const table of document.querySelectorAll("table[data-sortable]")) {
          const heads = table.tHead.rows[0].cells;
          for (let column = 0; column < heads.length; column++) {
            const head = heads[column];
            const button = document.createElement("button");
            button.type = "button";
            button.textContent = head.textContent;
            head.textContent = "";
            head.appendChild(button);
            button.addEventListener("click", () => {
              const descending = head.getAttribute("aria-sort") === "ascending";
              for (const other of heads) other.removeAttribute("aria-sort");
              head.setAttribute("aria-sort", descending ? "descending" : "ascending");
              const key = (row) => {
                const cell = row.cells[column];
                const value = cell.dataset.sort ?? cell.textContent.trim();
                const number = Number(value);
                return value !== "" && !Number.isNaN(number) ? number : value;
              };
              const rows = Array.from(table.tBodies[0].rows);
              rows.sort((a, b) => {
                const x = key(a), y = key(b);
                const order = typeof x === typeof y ? (x < y ? -1 : x > y ? 1 : 0) : typeof x === "number" ? -1 : 1;
                return descending ? -order : order;
              });
              for (const row of rows) table.tBodies[0].appendChild(row);
            });
          }
        }
        const filter = document.getElementById("filter");
        if (filter) {
          filter.parentElement.hidden = false;
          filter.addEventListener("input", () => {
            const words = filter.value.toLowerCase().split(/\\s+/).filter(Boolean);
            for (const row of document.querySelectorAll("tr[data-filter]")) {
              row.hidden = !words.every((word) => row.dataset.filter.includes(word));
            }
          });
        }
        """

    /// The page's Content-Security-Policy: nothing loads but the site's own style sheet and script; no inline
    /// script or style runs, whatever a page holds.
    static let contentSecurityPolicy =
        "default-src 'none'; style-src 'self'; script-src 'self'; img-src data:; base-uri 'none'; form-action 'none'"

    /// The two files, for the site's folder.
    static var files: [String: Data] {
        [stylePath: Data(style.utf8), scriptPath: Data(script.utf8)]
    }
}
