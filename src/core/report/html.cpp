#include "core/report/html.hpp"

#include <fmt/format.h>

#include "core/util/money.hpp"
#include "core/util/xml_writer.hpp"

namespace istd::report::html {

// Attributes are always written in double quotes, so XML's escaping serves HTML too.
std::string esc(std::string_view s) { return util::XmlWriter::escape(s); }

std::string explanation(std::string_view key, Lang lang) {
  const explain::Entry* e = explain::find(key);
  if (!e) return "";
  return fmt::format(
      "<div class=\"explain\"><p><b>{}</b> {}</p><p><b>{}</b> {}</p><p><b>{}</b> {}</p></div>",
      t(lang, "Betekenis:", "Meaning:"), esc(e->meaning.in(lang)),
      t(lang, "Oorzaak:", "Usual cause:"), esc(e->cause.in(lang)),
      t(lang, "Wat te doen:", "What to do:"), esc(e->action.in(lang)));
}

std::string euros(std::int64_t cents, Lang lang) {
  return "\xE2\x82\xAC\xC2\xA0" +  // euro sign, no-break space
         util::format_euros(cents, lang == Lang::nl ? util::kEuroDutch : util::kEuroEnglish);
}

std::string count(std::int64_t n, Lang lang) {
  const std::string digits = std::to_string(n < 0 ? -n : n);
  std::string out = n < 0 ? "-" : "";
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += lang == Lang::nl ? '.' : ',';
    out += digits[i];
  }
  return out;
}

namespace {
constexpr std::string_view kMonthsNl[] = {"januari",   "februari", "maart",    "april",
                                          "mei",       "juni",     "juli",     "augustus",
                                          "september", "oktober",  "november", "december"};
constexpr std::string_view kMonthsEn[] = {"January",   "February", "March",    "April",
                                          "May",       "June",     "July",     "August",
                                          "September", "October",  "November", "December"};
constexpr std::string_view kShortNl[] = {"jan", "feb", "mrt", "apr", "mei", "jun",
                                         "jul", "aug", "sep", "okt", "nov", "dec"};
constexpr std::string_view kShortEn[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
}  // namespace

std::string month_name(std::string_view ym, Lang lang) {
  auto d = model::parse_date(std::string(ym) + "-01");
  if (!d) return std::string(ym);
  return fmt::format("{} {}", (lang == Lang::nl ? kMonthsNl : kMonthsEn)[d->month - 1], d->year);
}

std::string month_short(int year, int month, Lang lang) {
  return fmt::format("{} '{:02d}", (lang == Lang::nl ? kShortNl : kShortEn)[month - 1], year % 100);
}

std::string date(const model::Date& d, Lang lang) {
  if (lang == Lang::en) return d.to_string();
  return fmt::format("{:02d}-{:02d}-{:04d}", d.day, d.month, d.year);
}

std::string figure(std::string_view name, std::int64_t value, std::string_view shown) {
  return fmt::format("<span data-figure=\"{}\" data-value=\"{}\">{}</span>", esc(name), value,
                     shown);
}

std::string bsn(std::string_view value, bool mask) {
  return mask ? model::mask_bsn(value) : std::string(value);
}

std::string explain_id(std::string_view key) {
  std::string id = "uitleg-";
  for (char c : key) id += (c == ' ' ? '-' : c);
  return id;
}

namespace {

// One style sheet for every report: print-friendly, no web fonts.
constexpr std::string_view kCss = R"css(
:root{--fg:#1b1b1b;--muted:#5a5a5a;--line:#d6d6d6;--bg2:#f4f6f8;--acc:#154273;--bad:#b3261e;
--ok:#2e7d32;--warn:#c77700;--pause:#f2a33a;--deliv:#4f9d5d;--nost:#c9c9c9;--stop:#7d7d7d}
*{box-sizing:border-box}
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;color:var(--fg);
margin:0 auto;max-width:1180px;padding:0 20px 40px}
header{border-bottom:3px solid var(--acc);margin-bottom:12px;padding:14px 0 8px}
h1{font-size:24px;margin:0 0 4px;color:var(--acc)}h2{font-size:20px;margin:28px 0 8px;color:var(--acc);
border-bottom:1px solid var(--line);padding-bottom:4px}h3{font-size:16px;margin:18px 0 6px}
.meta{color:var(--muted);font-size:13px}
.privacy{background:#fff4e5;border-left:4px solid var(--warn);padding:8px 12px;margin:10px 0}
.privacy.masked{background:#e8f4ea;border-left-color:var(--ok)}
nav a{margin-right:14px}
.cards{display:flex;flex-wrap:wrap;gap:10px;margin:10px 0}
.card{background:var(--bg2);border-radius:6px;padding:10px 14px;min-width:160px}
.card .v{font-size:22px;font-weight:600}.card .l{color:var(--muted);font-size:13px}
.card.bad .v{color:var(--bad)}.card.ok .v{color:var(--ok)}
table{border-collapse:collapse;width:100%;margin:6px 0 12px;font-size:14px}
th,td{border-bottom:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top}
th{background:var(--bg2);cursor:pointer;user-select:none}td.n,th.n{text-align:right;white-space:nowrap}
tr.refund td{background:#fdecea}
details{margin:6px 0;border:1px solid var(--line);border-radius:6px;padding:4px 10px}
details>summary{cursor:pointer;font-weight:600;padding:4px 0}
details.group>summary .v{color:var(--bad)}
.explain{background:var(--bg2);padding:6px 10px;border-radius:4px;font-size:14px;margin:6px 0}
.explain p{margin:2px 0}.code{font-family:ui-monospace,Consolas,monospace;font-size:13px}
.muted{color:var(--muted)}.more{color:var(--muted);font-style:italic}
svg{max-width:100%;height:auto;display:block;margin:6px 0}
svg text{font:11px system-ui,Arial,sans-serif;fill:var(--fg)}
svg .d{fill:var(--deliv)}svg .p{fill:var(--pause)}svg .ns{fill:var(--nost)}svg .st{fill:var(--stop)}
svg .en{fill:#a9a9a9}svg .rf{fill:#fbd3cf}svg .bl{fill:var(--acc)}svg .grid{stroke:#e4e4e4}
svg .bar-in{fill:#9bb6d6}svg .bar-rej{fill:var(--bad)}svg .num{fill:#fff;font-weight:600}
ol.bands{margin:2px 0 10px;padding-left:22px;font-size:13px}
.legend span{display:inline-block;margin-right:12px;font-size:13px}
.legend i{display:inline-block;width:12px;height:12px;vertical-align:-1px;margin-right:4px}
input.filter{margin:4px 0;padding:4px 8px;width:320px;max-width:100%}
@media print{nav,input.filter{display:none}details{border:none}}
)css";

// Sorting (click a column header) and filter boxes (input.filter[data-for=TABLE-ID]). Optional:
// everything is readable without it.
constexpr std::string_view kScript = R"js(
(function(){
function key(td){var v=td.getAttribute('data-sort');return v!==null?parseFloat(v):td.textContent.trim().toLowerCase();}
document.querySelectorAll('table.sortable').forEach(function(t){
 t.querySelectorAll('th').forEach(function(th,i){th.addEventListener('click',function(){
  var b=t.tBodies[0];if(!b)return;var rows=Array.prototype.slice.call(b.rows);var asc=th.getAttribute('data-dir')!=='asc';
  rows.sort(function(x,y){var a=key(x.cells[i]),c=key(y.cells[i]);return (a<c?-1:a>c?1:0)*(asc?1:-1);});
  rows.forEach(function(r){b.appendChild(r);});th.setAttribute('data-dir',asc?'asc':'desc');});});});
document.querySelectorAll('input.filter').forEach(function(inp){
 inp.addEventListener('input',function(){var q=inp.value.toLowerCase();
  var t=document.getElementById(inp.getAttribute('data-for'));if(!t)return;
  Array.prototype.forEach.call(t.querySelectorAll('tbody tr, details.hh'),function(r){
   r.style.display=r.textContent.toLowerCase().indexOf(q)<0?'none':'';});});});
})();
)js";

}  // namespace

std::string page_begin(std::string_view title, Lang lang) {
  return fmt::format(
      "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      "<title>{}</title>\n<style>{}</style>\n</head>\n<body>\n",
      lang == Lang::nl ? "nl" : "en", esc(title), kCss);
}

std::string page_end() { return fmt::format("<script>{}</script>\n</body>\n</html>\n", kScript); }

}  // namespace istd::report::html
