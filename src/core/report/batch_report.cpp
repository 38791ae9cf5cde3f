#include "core/report/batch_report.hpp"

#include <fmt/format.h>

#include <map>
#include <set>

#include "core/report/html.hpp"

namespace istd::report {

namespace {

using explain::Lang;
using html::esc;
using html::t;
using V = BatchItem::Verdict;

std::string_view verdict_name(V v, Lang l) {
  switch (v) {
    case V::accepted:
      return t(l, "geaccepteerd", "accepted");
    case V::rejected:
      return t(l, "afgekeurd", "rejected");
    case V::quarantined:
      return t(l, "in quarantaine", "quarantined");
    case V::duplicate:
      return t(l, "dubbel (al ontvangen)", "duplicate (received before)");
    case V::unreadable:
      return t(l, "onleesbaar", "unreadable");
  }
  return "";
}


}  // namespace

std::string batch_report_html(const std::vector<BatchItem>& items, const BatchReportOptions& o) {
  const Lang lang = o.lang;
  auto cnt = [&](std::int64_t n) { return html::count(n, lang); };
  const std::string title = std::string(t(lang, "Ontvangen berichten", "Messages received")) +
                            (o.generated_on.empty() ? "" : " " + o.generated_on);
  std::string out = html::page_begin(title + " - istd", lang);
  out += fmt::format(
      "<header><h1>{}</h1><div class=\"meta\">{} {}{}</div>", esc(title), cnt(items.size()),
      t(lang, "berichten, verwerkt door istd ingest", "messages, processed by istd ingest"),
      o.ledger.empty() ? std::string() : fmt::format(" &middot; ledger {}", esc(o.ledger)));
  out += fmt::format(
      "<div class=\"privacy masked\">{}</div>",
      t(lang, "BSN's staan in dit rapport alleen gemaskeerd (******006) in de bevindingen.",
        "BSNs appear in this report only masked (******006), in the findings."));
  out += fmt::format(
      "<nav><a href=\"#overzicht\">{}</a><a href=\"#bevindingen\">{}</a><a "
      "href=\"#berichten\">{}</a></nav></header>\n",
      t(lang, "Overzicht", "Overview"), t(lang, "Bevindingen per code", "Findings by code"),
      t(lang, "Afgekeurde berichten", "Rejected messages"));

  // At a glance: per verdict, per message type.
  std::map<V, std::int64_t> per_verdict;
  std::map<std::string, std::map<V, std::int64_t>> per_type;
  std::int64_t retours = 0;
  for (const auto& it : items) {
    ++per_verdict[it.verdict];
    ++per_type[it.type.empty() ? std::string(t(lang, "onbekend", "unknown")) : it.type][it.verdict];
    if (!it.retour.empty() && it.verdict != V::duplicate) ++retours;
  }
  out += fmt::format("<section id=\"overzicht\"><h2>{}</h2><div class=\"cards\">",
                     t(lang, "De batch in één oogopslag", "The batch at a glance"));
  for (V v : {V::accepted, V::rejected, V::quarantined, V::duplicate, V::unreadable}) {
    if (v == V::unreadable && !per_verdict[v]) continue;
    out += fmt::format(
        "<div class=\"card {}\"><div class=\"v\">{}</div><div class=\"l\">{}</div></div>",
        v == V::accepted ? "ok" : (per_verdict[v] && v != V::duplicate ? "bad" : ""),
        cnt(per_verdict[v]), verdict_name(v, lang));
  }
  out += fmt::format(
      "<div class=\"card\"><div class=\"v\">{}</div><div class=\"l\">{}</div></div></div>",
      cnt(retours), t(lang, "retourberichten geschreven", "retour messages written"));
  out += fmt::format("<table class=\"sortable\"><thead><tr><th>{}</th>",
                     t(lang, "Berichttype", "Message type"));
  for (V v : {V::accepted, V::rejected, V::quarantined, V::duplicate, V::unreadable})
    out += fmt::format("<th class=\"n\">{}</th>", verdict_name(v, lang));
  out += "</tr></thead><tbody>";
  for (const auto& [type, m] : per_type) {
    out += fmt::format("<tr><td>{}</td>", esc(type));
    for (V v : {V::accepted, V::rejected, V::quarantined, V::duplicate, V::unreadable}) {
      auto f = m.find(v);
      out += fmt::format("<td class=\"n\">{}</td>", cnt(f == m.end() ? 0 : f->second));
    }
    out += "</tr>";
  }
  out += "</tbody></table></section>\n";

  // Findings by rule code (errors and warnings), each code explained once.
  struct Ref {
    const BatchItem* item;
    const Finding* f;
  };
  std::map<std::string, std::vector<Ref>> by_code;
  for (const auto& it : items) {
    if (it.verdict == V::duplicate) continue;
    for (const auto& f : it.findings) by_code[f.rule].push_back({&it, &f});
  }
  out += fmt::format("<section id=\"bevindingen\"><h2>{}</h2>",
                     t(lang, "Bevindingen per code", "Findings by code"));
  if (by_code.empty())
    out += fmt::format("<p>{}</p>", t(lang, "Geen bevindingen.", "No findings."));
  for (const auto& [code, refs] : by_code) {
    std::set<std::string> retourcodes;
    bool warning_only = true;
    for (const auto& r : refs) {
      if (!r.f->retourcode.empty()) retourcodes.insert(r.f->retourcode);
      warning_only = warning_only && r.f->severity == Severity::warning;
    }
    std::string rc;
    for (const auto& c : retourcodes) rc += (rc.empty() ? "" : ", ") + c;
    out += fmt::format(
        "<details class=\"group\"{}><summary>{}{} &mdash; {} &mdash; <span class=\"v\">{} "
        "{}</span>{}</summary>{}",
        refs.size() <= 50 ? " open" : "", esc(code),
        rc.empty() ? std::string() : fmt::format(" (retourcode {})", esc(rc)),
        esc(explain::title_or_key(explain::rule_key(code), lang)), cnt(refs.size()),
        refs.size() == 1 ? t(lang, "keer", "time") : t(lang, "keer", "times"),
        warning_only
            ? fmt::format(" <span class=\"muted\">({})</span>",
                          t(lang, "waarschuwing, geen afkeuring", "warning, not a rejection"))
            : std::string(),
        html::explanation(explain::rule_key(code), lang));
    out += fmt::format(
        "<table "
        "class=\"sortable\"><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></"
        "thead><tbody>",
        t(lang, "Bestand", "File"), t(lang, "Plaats", "Place"), t(lang, "Bericht", "Message"),
        t(lang, "Wat is er mis", "What is wrong"));
    std::size_t n = 0;
    for (const auto& r : refs) {
      if (n++ == o.max_rows) break;
      out += fmt::format(
          "<tr><td class=\"code\">{}</td><td class=\"code\">{}:{}<br>{}</td><td>{} "
          "{}</td><td>{}</td></tr>",
          esc(r.item->source), r.f->line, r.f->column, esc(r.f->path()), esc(r.item->type),
          esc(r.item->identificatie), esc(r.f->text));
    }
    out += "</tbody></table>";
    if (refs.size() > o.max_rows)
      out += fmt::format("<p class=\"more\">{} {} {} {}</p>", t(lang, "Getoond:", "Shown:"),
                         cnt(o.max_rows), t(lang, "van", "of"), cnt(refs.size()));
    out += "</details>\n";
  }
  out += "</section>\n";

  // Every message that was not accepted, with where it went.
  out += fmt::format("<section id=\"berichten\"><h2>{}</h2>",
                     t(lang, "Afgekeurde, onleesbare en dubbele berichten",
                       "Rejected, unreadable and duplicate messages"));
  out += fmt::format(
      "<table "
      "class=\"sortable\"><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></"
      "thead><tbody>",
      t(lang, "Bestand", "File"), t(lang, "Bericht", "Message"), t(lang, "Uitkomst", "Outcome"),
      t(lang, "Codes", "Codes"), t(lang, "Waarheen", "Where to"));
  std::size_t listed = 0, not_accepted = 0;
  for (const auto& it : items) {
    if (it.verdict == V::accepted) continue;
    ++not_accepted;
    if (listed++ == o.max_rows) continue;
    std::set<std::string> codes;
    for (const auto& f : it.findings)
      if (f.severity == Severity::error)
        codes.insert(f.rule + (f.retourcode.empty() ? "" : " " + f.retourcode));
    std::string cs;
    for (const auto& c : codes) cs += (cs.empty() ? "" : ", ") + esc(c);
    if (!it.error.empty()) cs = esc(it.error);
    std::string where = esc(it.route);
    if (!it.retour.empty())
      where += fmt::format("<br>{} {}", t(lang, "retour:", "retour:"), esc(it.retour));
    out += fmt::format(
        "<tr><td class=\"code\">{}</td><td>{} {}</td><td>{}</td><td>{}</td><td "
        "class=\"code\">{}</td></tr>",
        esc(it.source), esc(it.type), esc(it.identificatie), verdict_name(it.verdict, lang), cs,
        where);
  }
  out += "</tbody></table>";
  if (listed > o.max_rows)
    out += fmt::format("<p class=\"more\">{} {} {} {}</p>", t(lang, "Getoond:", "Shown:"),
                       cnt(o.max_rows), t(lang, "van", "of"), cnt(not_accepted));
  out += fmt::format("<p class=\"muted\">{}</p></section>\n",
                     t(lang,
                       "Elke code uitgelegd: istd explain CODE. De map quarantine/ van de uitvoer "
                       "bevat de afgekeurde bestanden met een .reason-bestand; zie docs/ingest.md.",
                       "Any code explained: istd explain CODE. The output's quarantine/ folder "
                       "holds rejected files with a .reason file; see docs/ingest.md."));
  out += html::page_end();
  return out;
}

}  // namespace istd::report
