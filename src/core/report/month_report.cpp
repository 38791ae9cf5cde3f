#include "core/report/month_report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "core/report/html.hpp"
#include "core/report/timeline_svg.hpp"

namespace istd::report {

namespace {

using explain::Lang;
using html::esc;
using html::t;
using nlohmann::json;

std::int64_t num(const json& j, const char* k) {
  return j.contains(k) && j[k].is_number() ? j[k].get<std::int64_t>() : 0;
}

/// The rule behind a retourcode, "" for a local one.
std::string rule_of_code(const std::string& code) {
  std::string rule = reconcile::rule_of_retourcode(code);
  return rule == "local" ? std::string() : rule;
}

/// "2025-12" -> "2026-01".
std::string next_month(const std::string& ym) {
  auto d = model::parse_date(ym + "-01");
  if (!d) return {};
  const model::Date n = d->add_months(1);
  return fmt::format("{:04d}-{:02d}", n.year, n.month);
}

std::string evidence_list(const std::vector<std::string>& ev) {
  std::string s;
  for (const auto& e : ev) {
    if (!s.empty()) s += ", ";
    std::string x = e;
    std::replace(x.begin(), x.end(), ':', ' ');
    s += esc(x);
  }
  return s;
}

struct Writer {
  const reconcile::Result& r;
  const json& sum;
  const MonthReportOptions& o;
  Lang lang;
  std::string out;
  std::set<std::string> used;  // catalogue keys linked from the page

  std::string eur(std::int64_t c) const { return html::euros(c, lang); }
  std::string cnt(std::int64_t n) const { return html::count(n, lang); }
  std::string bsn(const std::string& b) const { return esc(html::bsn(b, o.mask_bsn)); }
  /// A link to the key's full explanation in the glossary at the end of the page.
  std::string code_anchor(const std::string& key, std::string_view shown) {
    used.insert(key);
    return fmt::format("<a class=\"code\" href=\"#{}\">{}</a>", html::explain_id(key), esc(shown));
  }

  void header() {
    const std::string month = sum["month"].get<std::string>();
    const std::string title = fmt::format("{} {}", t(lang, "Maandrapport", "Month report"),
                                          html::month_name(month, lang));
    out += html::page_begin(title + " - istd", lang);
    out += fmt::format(
        "<header><h1>{}</h1><div class=\"meta\">{} {} &middot; {}{}</div>", esc(title),
        t(lang, "Declaraties (323) met DeclaratiePeriode",
          "Declarations (323) with DeclaratiePeriode"),
        esc(html::month_name(month, lang)), t(lang, "gemaakt door istd", "made by istd"),
        o.generated_on.empty() ? std::string()
                               : fmt::format(" {} {}", t(lang, "op", "on"), esc(o.generated_on)));
    if (o.mask_bsn)
      out += fmt::format(
          "<div class=\"privacy masked\">{}</div>",
          t(lang,
            "BSN's zijn in dit rapport gemaskeerd (alleen de laatste drie cijfers zijn zichtbaar).",
            "BSNs are masked in this report (only the last three digits are shown)."));
    else
      out += fmt::format(
          "<div class=\"privacy\"><b>{}</b> {}</div>",
          t(lang, "Dit rapport bevat BSN's.", "This report contains BSNs."),
          t(lang,
            "Ze zijn nodig om terugbetalingen en correcties bij het CAK uit te voeren. Bewaar en "
            "deel het rapport zoals andere persoonsgegevens; maak met --mask-bsn een versie zonder "
            "volledige BSN's.",
            "They are needed to carry out refunds and corrections with the CAK. Store and share "
            "the report like other personal data; --mask-bsn makes a version without full BSNs."));
    out += fmt::format(
        "<nav><a href=\"#overzicht\">{}</a><a href=\"#aanbieders\">{}</a><a "
        "href=\"#abonnementstarief\">{}</a>"
        "<a href=\"#afwijzingen\">{}</a><a href=\"#signalen\">{}</a><a "
        "href=\"#werklijst\">{}</a><a href=\"#uitleg\">{}</a></nav></header>\n",
        t(lang, "Overzicht", "Overview"), t(lang, "Aanbieders", "Providers"),
        t(lang, "Abonnementstarief", "Abonnementstarief"),
        t(lang, "Afgewezen regels", "Rejected lines"), t(lang, "Signalen", "Signals"),
        t(lang, "Werklijst", "Worklist"), t(lang, "Uitleg", "Explanations"));
  }

  void card(std::string_view label, const std::string& fig, const char* cls = "") {
    out += fmt::format(
        "<div class=\"card {}\"><div class=\"v\">{}</div><div class=\"l\">{}</div></div>", cls, fig,
        label);
  }

  void overview() {
    const json& p = sum["prestaties"];
    const json& at = sum["abonnementstarief"];
    out += fmt::format("<section id=\"overzicht\"><h2>{}</h2><div class=\"cards\">",
                       t(lang, "De maand in één oogopslag", "The month at a glance"));
    card(t(lang, "declaraties", "declarations"),
         html::figure("declarations", num(sum, "declarations"), cnt(num(sum, "declarations"))));
    card(t(lang, "prestaties (regels)", "prestaties (lines)"),
         html::figure("prestaties", num(p, "total"), cnt(num(p, "total"))));
    card(t(lang, "goedgekeurd", "approved"),
         html::figure("approved", num(p, "approved"), cnt(num(p, "approved"))), "ok");
    card(t(lang, "afgewezen", "rejected"),
         html::figure("rejected", num(p, "rejected"), cnt(num(p, "rejected"))),
         num(p, "rejected") ? "bad" : "");
    card(t(lang, "ingediend", "claimed"),
         html::figure("ingediend", num(sum, "ingediend"), eur(num(sum, "ingediend"))));
    card(t(lang, "toegekend", "awarded"),
         html::figure("toegekend", num(sum, "toegekend"), eur(num(sum, "toegekend"))), "ok");
    std::int64_t n_signals = 0;
    for (const auto& [k, v] : sum["by_signal"].items()) n_signals += num(v, "count");
    card(t(lang, "signalen (geen afwijzing)", "signals (no rejection)"), cnt(n_signals));
    card(
        t(lang, "abonnementstarief terug te betalen", "abonnementstarief to refund"),
        html::figure("at:refund_total", num(at, "refund_total"), eur(num(at, "refund_total"))) +
            " <small>(" +
            html::figure("at:refund_count", num(at, "refund_count"), cnt(num(at, "refund_count"))) +
            std::string(t(lang, " regels", " lines")) + ")</small>",
        num(at, "refund_count") ? "bad" : "");
    out += "</div>\n";
    if (sum.contains("by_standard") && sum["by_standard"].contains("jw")) {
      // Wmo and Jeugdwet claims in one month: the figures above hold both; say how they split.
      std::string parts;
      for (const char* key : {"wmo", "jw"}) {
        if (!sum["by_standard"].contains(key)) continue;
        const json& v = sum["by_standard"][key];
        parts += fmt::format(
            "{}{}: {} {}, {} {} {} {} {}", parts.empty() ? "" : "; ",
            key == std::string_view("wmo") ? "Wmo (iWmo 3.2)" : "Jeugdwet (iJw 3.2)",
            cnt(num(v, "declarations")),
            num(v, "declarations") == 1 ? t(lang, "declaratie", "declaration")
                                        : t(lang, "declaraties", "declarations"),
            eur(num(v, "ingediend")), t(lang, "ingediend", "claimed"),
            t(lang, "en", "and"), eur(num(v, "toegekend")), t(lang, "toegekend", "awarded"));
      }
      out += fmt::format("<p>{} {}. {}</p>\n", t(lang, "Per wet:", "By law:"), parts,
                         t(lang,
                           "Het abonnementstarief geldt alleen voor de Wmo: de controle gebruikt "
                           "geen Jeugdwet-gegevens.",
                           "The abonnementstarief is a Wmo matter only: the check uses no "
                           "Jeugdwet data."));
    }
    if (!r.with_billing)
      out +=
          fmt::format("<p class=\"muted\">{}</p>",
                      t(lang,
                        "Zonder factuurlijst van het CAK (--billing) is het abonnementstarief niet "
                        "vergeleken; het rapport toont dan de periodes en factureerbare maanden.",
                        "Without the CAK's billing list (--billing) the abonnementstarief was not "
                        "compared; the report then shows the episodes and billable months."));
    for (const auto& d : sum["deviations"])
      out += fmt::format("<p class=\"privacy\">{} {}</p>", t(lang, "Let op:", "Note:"),
                         esc(d.get<std::string>()));

    // Rejections by retourcode.
    out += fmt::format("<h3>{}</h3>",
                       t(lang, "Afwijzingen per retourcode", "Rejections by retourcode"));
    if (sum["by_retourcode"].empty()) {
      out += fmt::format("<p>{}</p>", t(lang, "Geen afwijzingen.", "No rejections."));
    } else {
      out += fmt::format(
          "<table class=\"sortable\"><thead><tr><th>{}</th><th>{}</th><th class=\"n\">{}</th>"
          "<th class=\"n\">{}</th></tr></thead><tbody>",
          t(lang, "Retourcode", "Retourcode"),
          t(lang, "Betekenis en wat te doen", "Meaning and what to do"), t(lang, "Aantal", "Count"),
          t(lang, "Bedrag", "Amount"));
      for (const auto& [code, v] : sum["by_retourcode"].items()) {
        const std::string key = explain::retourcode_key(code);
        const std::string rule = rule_of_code(code);
        out += fmt::format(
            "<tr><td>{}{}</td><td><details><summary>{}</summary>{}</details></td>"
            "<td class=\"n\" data-sort=\"{}\">{}</td><td class=\"n\" data-sort=\"{}\">{}</td></tr>",
            code_anchor(key, code),
            rule.empty() ? std::string() : " <span class=\"muted\">(" + rule + ")</span>",
            esc(explain::title_or_key(key, lang)), html::explanation(key, lang), num(v, "count"),
            html::figure("retourcode:" + code + ":count", num(v, "count"), cnt(num(v, "count"))),
            num(v, "amount"),
            html::figure("retourcode:" + code + ":amount", num(v, "amount"),
                         eur(num(v, "amount"))));
      }
      out += "</tbody></table>\n";
    }
    // Signals.
    out += fmt::format("<h3>{}</h3>", t(lang, "Signalen (nooit een afwijzing, OP364)",
                                        "Signals (never a rejection, OP364)"));
    if (sum["by_signal"].empty()) {
      out += fmt::format("<p>{}</p>", t(lang, "Geen signalen.", "No signals."));
    } else {
      out += fmt::format(
          "<table><thead><tr><th>{}</th><th>{}</th><th class=\"n\">{}</th><th "
          "class=\"n\">{}</th></tr></thead><tbody>",
          t(lang, "Signaal", "Signal"), t(lang, "Betekenis", "Meaning"), t(lang, "Aantal", "Count"),
          t(lang, "Gedeclareerd", "Claimed"));
      for (const auto& [name, v] : sum["by_signal"].items()) {
        const std::string key = explain::signal_key(name);
        used.insert(key);
        out += fmt::format(
            "<tr><td><a class=\"code\" "
            "href=\"#{}\">{}</a></td><td><details><summary>{}</summary>{}</details></td><td "
            "class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            html::explain_id(key), esc(name), esc(explain::title_or_key(key, lang)),
            html::explanation(key, lang),
            html::figure("signal:" + name + ":count", num(v, "count"), cnt(num(v, "count"))),
            html::figure("signal:" + name + ":amount", num(v, "amount"), eur(num(v, "amount"))));
      }
      out += "</tbody></table>\n";
    }
    // Abonnementstarief by reason.
    out += fmt::format("<h3>{}</h3>",
                       t(lang, "Abonnementstarief per reden", "Abonnementstarief by reason"));
    if (at["by_reason"].empty()) {
      out += fmt::format("<p>{}</p>", t(lang, "Geen bevindingen.", "No findings."));
    } else {
      out += fmt::format(
          "<table><thead><tr><th>{}</th><th>{}</th><th class=\"n\">{}</th><th "
          "class=\"n\">{}</th></tr></thead><tbody>",
          t(lang, "Reden", "Reason"), t(lang, "Betekenis", "Meaning"), t(lang, "Aantal", "Count"),
          t(lang, "Bedrag", "Amount"));
      for (const auto& [reason, v] : at["by_reason"].items()) {
        const std::string key = explain::at_key(reason);
        used.insert(key);
        out += fmt::format(
            "<tr><td><a class=\"code\" "
            "href=\"#{}\">{}</a></td><td><details><summary>{}</summary>{}</details></td><td "
            "class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            html::explain_id(key), esc(reason), esc(explain::title_or_key(key, lang)),
            html::explanation(key, lang),
            html::figure("at:" + reason + ":count", num(v, "count"), cnt(num(v, "count"))),
            html::figure("at:" + reason + ":amount", num(v, "amount"), eur(num(v, "amount"))));
      }
      out += "</tbody></table>\n";
    }
    out += "</section>\n";
  }

  void providers() {
    out += fmt::format("<section id=\"aanbieders\"><h2>{}</h2>",
                       t(lang, "Per aanbieder", "Per provider"));
    const json& bp = sum["by_provider"];
    if (bp.empty()) {
      out += fmt::format("<p>{}</p></section>\n",
                         t(lang, "Geen declaraties deze maand.", "No declarations this month."));
      return;
    }
    struct Row {
      std::string agb;
      std::int64_t in, tk, rej_lines, signals, decl;
    };
    std::vector<Row> rows;
    std::int64_t max_in = 1;
    for (const auto& [agb, v] : bp.items()) {
      rows.push_back({agb, num(v, "ingediend"), num(v, "toegekend"), num(v, "rejected"),
                      num(v, "signals"), num(v, "declarations")});
      max_in = std::max(max_in, std::abs(rows.back().in));
    }
    // Most rejected amount first.
    std::stable_sort(rows.begin(), rows.end(),
                     [](const Row& a, const Row& b) { return (a.in - a.tk) > (b.in - b.tk); });
    // Bar chart: claimed (light) with the rejected part (red), at most 40 providers.
    const std::size_t bars = std::min<std::size_t>(rows.size(), 40);
    const double lw = 90, cw = 560, bh = 16;
    out += fmt::format(
        "<svg class=\"bars\" viewBox=\"0 0 {} {}\" width=\"{}\" height=\"{}\" role=\"img\" "
        "aria-label=\"{}\">",
        lw + cw + 170, bars * (bh + 4) + 4, lw + cw + 170, bars * (bh + 4) + 4,
        t(lang, "Ingediend en afgewezen per aanbieder", "Claimed and rejected per provider"));
    for (std::size_t i = 0; i < bars; ++i) {
      const Row& w = rows[i];
      const double y = 2 + i * (bh + 4);
      const double win = cw * std::max<std::int64_t>(w.in, 0) / double(max_in);
      const double wrej =
          cw * std::clamp<std::int64_t>(w.in - w.tk, 0, std::max<std::int64_t>(w.in, 0)) /
          double(max_in);
      out += fmt::format(
          "<text x=\"0\" y=\"{:.0f}\">{}</text><rect class=\"bar-in\" x=\"{}\" y=\"{:.0f}\" "
          "width=\"{:.1f}\" height=\"{}\"/>"
          "<rect class=\"bar-rej\" x=\"{}\" y=\"{:.0f}\" width=\"{:.1f}\" height=\"{}\"/>"
          "<text x=\"{:.1f}\" y=\"{:.0f}\">{} / {}</text>",
          y + 12, esc(w.agb), lw, y, std::max(win, 1.0), bh, lw, y, wrej, bh, lw + win + 6, y + 12,
          eur(w.in), eur(w.in - w.tk));
    }
    out += "</svg>";
    out += fmt::format(
        "<p class=\"legend\"><span><i style=\"background:#9bb6d6\"></i>{}</span><span><i "
        "style=\"background:#b3261e\"></i>{}</span>{}</p>",
        t(lang, "ingediend", "claimed"), t(lang, "afgewezen", "rejected"),
        rows.size() > bars
            ? fmt::format(
                  " <span class=\"more\">{} {} {}</span>", t(lang, "grafiek: de", "chart: the"),
                  bars,
                  t(lang, "aanbieders met het hoogste afgewezen bedrag; de tabel toont ze allemaal",
                    "providers with the highest rejected amount; the table shows all"))
            : std::string());
    out += fmt::format("<input class=\"filter\" data-for=\"t-aanbieders\" placeholder=\"{}\">",
                       t(lang, "Zoek AGB-code...", "Search AGB code..."));
    out += fmt::format(
        "<table id=\"t-aanbieders\" class=\"sortable\"><thead><tr><th>AGB</th><th "
        "class=\"n\">{}</th><th class=\"n\">{}</th>"
        "<th class=\"n\">{}</th><th class=\"n\">{}</th><th class=\"n\">{}</th><th "
        "class=\"n\">{}</th></tr></thead><tbody>",
        t(lang, "Declaraties", "Declarations"), t(lang, "Ingediend", "Claimed"),
        t(lang, "Toegekend", "Awarded"), t(lang, "Afgewezen bedrag", "Rejected amount"),
        t(lang, "Afgewezen regels", "Rejected lines"), t(lang, "Signalen", "Signals"));
    for (const auto& w : rows) {
      const std::string a = w.agb;
      out += fmt::format(
          "<tr><td class=\"code\">{}</td><td class=\"n\">{}</td><td class=\"n\" "
          "data-sort=\"{}\">{}</td><td class=\"n\" data-sort=\"{}\">{}</td>"
          "<td class=\"n\" data-sort=\"{}\">{}</td><td class=\"n\">{}</td><td "
          "class=\"n\">{}</td></tr>",
          esc(a), html::figure("provider:" + a + ":declarations", w.decl, cnt(w.decl)), w.in,
          html::figure("provider:" + a + ":ingediend", w.in, eur(w.in)), w.tk,
          html::figure("provider:" + a + ":toegekend", w.tk, eur(w.tk)), w.in - w.tk,
          eur(w.in - w.tk),
          html::figure("provider:" + a + ":rejected", w.rej_lines, cnt(w.rej_lines)),
          html::figure("provider:" + a + ":signals", w.signals, cnt(w.signals)));
    }
    out += "</tbody></table></section>\n";
  }

  void abonnementstarief() {
    out += fmt::format("<section id=\"abonnementstarief\"><h2>{}</h2>",
                       t(lang, "Abonnementstarief: terugbetalingen per huishouden",
                         "Abonnementstarief: refunds per household"));
    out += fmt::format(
        "<p>{}</p>",
        t(lang,
          "Per huishouden de maanden waarin het CAK het abonnementstarief in rekening bracht "
          "terwijl er volgens het beleid geen bijdrage verschuldigd was (zorg gepauzeerd, nog niet "
          "gestart, gestopt, of geen toewijzing), met per cliënt een tijdlijn: toewijzingen, "
          "starts, pauzes en stops als banden, de door het CAK gefactureerde maanden gemarkeerd en "
          "de terug te betalen maanden rood.",
          "Per household the months in which the CAK billed the abonnementstarief although under "
          "the policy no contribution was due (care paused, not started, stopped, or no "
          "allocation), with a timeline per client: allocations, starts, pauses and stops as "
          "bands, the months billed by the CAK marked and the refund months in red."));
    out += fmt::format(
        "<p class=\"legend\"><span><i style=\"background:#4f9d5d\"></i>{}</span><span><i "
        "style=\"background:#f2a33a\"></i>{}</span>"
        "<span><i style=\"background:#c9c9c9\"></i>{}</span><span><i "
        "style=\"background:#7d7d7d\"></i>{}</span>"
        "<span><i style=\"background:#a9a9a9\"></i>{}</span><span><i "
        "style=\"background:#154273\"></i>{}</span><span><i "
        "style=\"background:#fbd3cf\"></i>{}</span></p>",
        t(lang, "levering", "delivered"), t(lang, "pauze", "paused"),
        t(lang, "nog niet gestart", "not started"), t(lang, "gestopt", "stopped"),
        t(lang, "toewijzing afgelopen", "allocation ended"),
        t(lang, "gefactureerd door het CAK", "billed by the CAK"),
        t(lang, "terug te betalen maand", "refund month"));
    // Findings per household (refunds first), households with a refund only.
    std::map<std::string, std::vector<const reconcile::AtFinding*>> per_hh;
    for (const auto& f : r.at.findings)
      per_hh[f.household.empty() ? f.bsn : f.household].push_back(&f);
    std::map<std::string, std::vector<const reconcile::ClientHistory*>> members;
    for (const auto& c : r.refund_clients) members[c.household].push_back(&c);
    std::size_t shown = 0, total = members.size();
    if (total == 0)
      out +=
          fmt::format("<p>{}</p>", t(lang, "Geen terugbetalingen gevonden.", "No refunds found."));
    else
      out += fmt::format("<input class=\"filter\" data-for=\"hh-list\" placeholder=\"{}\">",
                         t(lang, "Zoek huishouden of BSN...", "Search household or BSN..."));
    out += "<div id=\"hh-list\">";
    const bool open = total <= 20;
    // Households with the largest refund first.
    std::vector<std::pair<std::int64_t, const std::string*>> order;
    for (const auto& [hh, clients] : members) {
      std::int64_t refunded = 0;
      for (const auto* f : per_hh[hh]) refunded += f->refund ? f->amount : 0;
      order.emplace_back(-refunded, &hh);
    }
    std::stable_sort(order.begin(), order.end(),
                     [](const auto& x, const auto& y) { return x.first < y.first; });
    for (const auto& [neg_sum, hh_ptr] : order) {
      const std::string& hh = *hh_ptr;
      const auto& clients = members[hh];
      if (shown == o.max_rows) break;
      ++shown;
      std::int64_t refund = 0;
      int n_refund = 0;
      std::set<std::string> refund_months;
      for (const auto* f : per_hh[hh])
        if (f->refund) {
          refund += f->amount;
          ++n_refund;
          refund_months.insert(f->month);
        }
      out += fmt::format("<details class=\"hh\"{}><summary>{} {} &mdash; {} {}, {}</summary>",
                         open ? " open" : "", t(lang, "Huishouden", "Household"),
                         o.mask_bsn && hh.size() == 9 ? bsn(hh) : esc(hh), n_refund,
                         n_refund == 1 ? t(lang, "maand terug te betalen", "month to refund")
                                       : t(lang, "maanden terug te betalen", "months to refund"),
                         eur(refund));
      out += fmt::format(
          "<table><thead><tr><th>{}</th><th>BSN</th><th>{}</th><th>{}</th><th "
          "class=\"n\">{}</th><th>{}</th><th>{}</th></tr></thead><tbody>",
          t(lang, "Maand", "Month"), t(lang, "Reden", "Reason"), t(lang, "Terugbetalen", "Refund"),
          t(lang, "Bedrag", "Amount"), t(lang, "Toelichting", "Explanation"),
          t(lang, "Bewijs (berichten)", "Evidence (messages)"));
      // Consecutive months of one person with the same finding and amount are one row; rows
      // in order of their first month.
      std::vector<const reconcile::AtFinding*> fs = per_hh[hh];
      std::stable_sort(fs.begin(), fs.end(), [](const auto* x, const auto* y) {
        return std::tie(x->bsn, x->reason, x->month) < std::tie(y->bsn, y->reason, y->month);
      });
      struct Run {
        const reconcile::AtFinding* first;
        std::string last;
        std::size_t months = 1;
        std::vector<std::string> evidence;
      };
      std::vector<Run> runs;
      for (const auto* g : fs) {
        if (!runs.empty()) {
          Run& run = runs.back();
          const auto* f = run.first;
          if (g->bsn == f->bsn && g->reason == f->reason && g->refund == f->refund &&
              g->amount == f->amount && g->month == next_month(run.last)) {
            run.last = g->month;
            ++run.months;
            for (const auto& e : g->evidence)
              if (std::find(run.evidence.begin(), run.evidence.end(), e) == run.evidence.end())
                run.evidence.push_back(e);
            continue;
          }
        }
        runs.push_back(Run{g, g->month, 1, g->evidence});
      }
      std::stable_sort(runs.begin(), runs.end(), [](const Run& x, const Run& y) {
        return std::tie(x.first->month, x.first->bsn) < std::tie(y.first->month, y.first->bsn);
      });
      for (const Run& run : runs) {
        const reconcile::AtFinding* f = run.first;
        const std::size_t months = run.months;
        const std::string key = explain::at_key(f->reason);
        used.insert(key);
        out += fmt::format(
            "<tr{}><td>{}</td><td class=\"code\">{}</td><td><a class=\"code\" "
            "href=\"#{}\">{}</a></td>"
            "<td>{}</td><td class=\"n\">{}</td><td>{}{}</td><td class=\"code\">{}</td></tr>",
            f->refund
                ? fmt::format(" class=\"refund\" data-refund data-bsn=\"{}\" data-month=\"{}\"",
                              bsn(f->bsn), esc(f->month))
                : std::string(),
            months == 1
                ? esc(html::month_name(f->month, lang))
                : fmt::format("{} &ndash; {} ({} {})", esc(html::month_name(f->month, lang)),
                              esc(html::month_name(run.last, lang)), months,
                              t(lang, "maanden", "months")),
            bsn(f->bsn), html::explain_id(key), esc(f->reason),
            f->refund ? t(lang, "ja", "yes") : t(lang, "nee", "no"),
            months == 1 ? eur(f->amount) : fmt::format("{} &times; {}", months, eur(f->amount)),
            esc(explain::title_or_key(key, lang)),
            months == 1 ? fmt::format("<br><span class=\"muted\">{}</span>", esc(f->detail))
                        : std::string(),
            evidence_list(run.evidence));
      }
      out += "</tbody></table>";
      for (const auto* c : clients) {
        ClientTimeline tl;
        tl.bsn = html::bsn(c->bsn, o.mask_bsn);
        for (const auto& a : c->allocations) tl.allocations.push_back(&a);
        for (const auto& [m, amount] : c->billed) tl.billed.insert(m);
        tl.refund = refund_months;
        tl.to_year = r.year;
        tl.to_month = r.month;
        out += fmt::format("<h3>{} {}</h3>", t(lang, "Cliënt", "Client"), bsn(c->bsn));
        if (c->allocations.empty())
          out += fmt::format("<p class=\"muted\">{}</p>", t(lang, "Geen toewijzing in de ledger.",
                                                            "No allocation in the ledger."));
        out += timeline_svg(tl, lang);
      }
      out += "</details>\n";
    }
    out += "</div>";
    if (shown < total)
      out += fmt::format("<p class=\"more\">{} {} {} {}. {}</p>", t(lang, "Getoond:", "Shown:"),
                         cnt(shown), t(lang, "van", "of"), cnt(total),
                         t(lang, "Alle regels staan in abonnementstarief.csv.",
                           "Every line is in abonnementstarief.csv."));
    out += "</section>\n";
  }

  struct LineRef {
    const reconcile::DeclarationResult* d;
    std::size_t i;  // line index; npos for declaration/client level
    std::string bsn;
    std::vector<std::string> evidence;
  };

  /// Whole declarations and clients first, then the largest amounts.
  static void sort_rows(std::vector<LineRef>& rows) {
    auto line_amount = [](const LineRef& ref) {
      return ref.i == std::string::npos ? INT64_MAX : ref.d->lines[ref.i].signed_bedrag();
    };
    std::stable_sort(rows.begin(), rows.end(),
                     [&](const LineRef& x, const LineRef& y) {
                       return line_amount(x) > line_amount(y);
                     });
  }

  void line_table(std::vector<LineRef>& rows, bool with_evidence) {
    sort_rows(rows);
    out += fmt::format(
        "<table class=\"sortable\"><thead><tr><th>AGB</th><th>{}</th><th>{}</th><th>BSN</th>"
        "<th>{}</th><th>{}</th><th class=\"n\">{}</th><th>{}</th></tr></thead><tbody>",
        t(lang, "Declaratie", "Declaration"), t(lang, "ReferentieNummer", "ReferentieNummer"),
        t(lang, "Product", "Product"), t(lang, "ProductPeriode", "ProductPeriode"),
        t(lang, "Bedrag", "Amount"), t(lang, "Bewijs (berichten)", "Evidence (messages)"));
    std::size_t n = 0;
    for (const auto& ref : rows) {
      if (n++ == o.max_rows) break;
      const auto& d = ref.d->declaration;
      std::string ev = fmt::format("WMO323 {}", esc(d.identificatie));
      if (!ref.d->route_325.empty()) {
        const auto slash = ref.d->route_325.rfind('/');
        ev += fmt::format(", WMO325 {}", esc(ref.d->route_325.substr(
                                             slash + 1, ref.d->route_325.size() - slash - 5)));
      }
      if (with_evidence && !ref.evidence.empty()) ev = evidence_list(ref.evidence);
      if (ref.i == std::string::npos) {
        out += fmt::format(
            "<tr><td class=\"code\">{}</td><td>{}</td><td class=\"muted\">{}</td><td "
            "class=\"code\">{}</td><td></td><td></td><td class=\"n\">{}</td><td "
            "class=\"code\">{}</td></tr>",
            esc(d.agb), esc(d.nummer),
            ref.bsn.empty() ? t(lang, "hele declaratie", "whole declaration")
                            : t(lang, "hele cliënt", "whole client"),
            ref.bsn.empty() ? std::string() : bsn(ref.bsn),
            ref.bsn.empty() ? eur(d.signed_totaal()) : std::string(), ev);
        continue;
      }
      const auto& l = ref.d->lines[ref.i];
      out += fmt::format(
          "<tr><td class=\"code\">{}</td><td>{}</td><td class=\"code\">{}</td><td "
          "class=\"code\">{}</td><td>{} {}{}</td><td>{} &ndash; {}</td><td class=\"n\" "
          "data-sort=\"{}\">{}</td><td class=\"code\">{}</td></tr>",
          esc(d.agb), esc(d.nummer), esc(l.referentie), bsn(l.bsn), l.nummer, esc(l.categorie),
          l.code.empty() ? std::string() : "/" + esc(l.code), html::date(l.begin, lang),
          html::date(l.eind, lang), l.signed_bedrag(), eur(l.signed_bedrag()), ev);
    }
    out += "</tbody></table>";
    if (rows.size() > o.max_rows)
      out += fmt::format(
          "<p class=\"more\">{} {} {} {}. {}</p>", t(lang, "Getoond:", "Shown:"), cnt(o.max_rows),
          t(lang, "van", "of"), cnt(rows.size()),
          t(lang, "Alle regels staan in findings.csv.", "Every line is in findings.csv."));
  }

  void rejections() {
    out += fmt::format("<section id=\"afwijzingen\"><h2>{}</h2>",
                       t(lang, "Afgewezen regels per retourcode", "Rejected lines by retourcode"));
    std::map<std::string, std::vector<LineRef>> groups;  // retourcode -> rows
    for (const auto& dr : r.declarations) {
      const auto& j = dr.judgement;
      for (const auto& c : j.header_codes) groups[c].push_back({&dr, std::string::npos, "", {}});
      for (const auto& h : j.declaratie_hits)
        groups[h.code].push_back({&dr, std::string::npos, "", {}});
      for (const auto& [b, hits] : j.client_hits)
        for (const auto& h : hits) groups[h.code].push_back({&dr, std::string::npos, b, {}});
      if (j.rejected_whole()) continue;
      for (std::size_t i = 0; i < dr.lines.size(); ++i) {
        const auto& lo = j.lines[i];
        if (lo.approved) continue;
        if (lo.not_assessed) groups["0233"].push_back({&dr, i, dr.lines[i].bsn, {}});
        for (const auto& h : lo.hits) groups[h.code].push_back({&dr, i, dr.lines[i].bsn, {}});
      }
    }
    if (groups.empty())
      out += fmt::format("<p>{}</p>", t(lang, "Geen afgewezen regels.", "No rejected lines."));
    for (auto& [code, rows] : groups) {
      const std::string key = explain::retourcode_key(code);
      used.insert(key);
      std::int64_t amount = 0;
      for (const auto& ref : rows)
        if (ref.i != std::string::npos) amount += ref.d->lines[ref.i].signed_bedrag();
      const std::string rule = rule_of_code(code);
      out += fmt::format(
          "<details class=\"group\"{}><summary>{} {}{} &mdash; {} &mdash; <span class=\"v\">{} {}, "
          "{}</span></summary>{}",
          rows.size() <= 50 ? " open" : "", t(lang, "Retourcode", "Retourcode"), esc(code),
          rule.empty() ? std::string() : " (" + rule + ")", esc(explain::title_or_key(key, lang)),
          cnt(rows.size()),
          rows.size() == 1 ? t(lang, "regel", "line") : t(lang, "regels", "lines"), eur(amount),
          html::explanation(key, lang));
      line_table(rows, false);
      out += "</details>\n";
    }
    out += "</section>\n";
  }

  void signals() {
    out += fmt::format("<section id=\"signalen\"><h2>{}</h2><p>{}</p>",
                       t(lang, "Signalen per soort", "Signals by kind"),
                       t(lang,
                         "Een signaal wijst een regel nooit af (OP364): start- en stopberichten "
                         "zijn geen voorwaarde voor een declaratie. Het is een aanwijzing om met "
                         "de aanbieder te controleren of de zorg werkelijk geleverd is, of dat een "
                         "305 of 307 ontbreekt of te laat is.",
                         "A signal never rejects a line (OP364): start and stop messages are no "
                         "condition for a claim. It is a reason to check with the provider whether "
                         "the care was delivered, or whether a 305 or 307 is missing or late."));
    std::map<std::string, std::vector<LineRef>> groups;
    for (const auto& dr : r.declarations)
      for (std::size_t i = 0; i < dr.lines.size(); ++i)
        for (const auto& s : dr.judgement.lines[i].signals)
          groups[s.name].push_back({&dr, i, dr.lines[i].bsn, s.evidence});
    if (groups.empty()) out += fmt::format("<p>{}</p>", t(lang, "Geen signalen.", "No signals."));
    for (auto& [name, rows] : groups) {
      const std::string key = explain::signal_key(name);
      used.insert(key);
      out +=
          fmt::format("<details class=\"group\"{}><summary>{} &mdash; {} &mdash; {} {}</summary>{}",
                      rows.size() <= 50 ? " open" : "", esc(name),
                      esc(explain::title_or_key(key, lang)), cnt(rows.size()),
                      rows.size() == 1 ? t(lang, "regel", "line") : t(lang, "regels", "lines"),
                      html::explanation(key, lang));
      line_table(rows, true);
      out += "</details>\n";
    }
    out += "</section>\n";
  }

  void worklist() {
    const json& wl = sum["worklist"];
    const std::int64_t open = num(wl, "open");
    out += fmt::format("<section id=\"werklijst\"><h2>{}</h2><p>{}</p>",
                       t(lang, "Werklijst: wat te laat is", "Worklist: what is overdue"),
                       fmt::format(fmt::runtime(t(lang,
                                                  "Op {} staan {} verplichtingen open die over "
                                                  "hun termijn zijn (werkdagen volgens de "
                                                  "Algemene termijnenwet). De volledige lijst, "
                                                  "ook per partij: istd worklist.",
                                                  "On {}, {} obligations are open past their term "
                                                  "(working days as the Algemene termijnenwet "
                                                  "counts them). The full list, also per party: "
                                                  "istd worklist.")),
                                   esc(wl["today"].get<std::string>()),
                                   html::figure("worklist:open", open, cnt(open))));
    if (open > 0) {
      out += fmt::format("<table><thead><tr><th>{}</th><th>{}</th><th class=\"n\">{}</th></tr>"
                         "</thead><tbody>",
                         t(lang, "Soort", "Kind"), t(lang, "Betekenis", "Meaning"),
                         t(lang, "Aantal", "Count"));
      for (const auto& [kind, n] : wl["by_kind"].items()) {
        const std::string key = explain::worklist_key(kind);
        out += fmt::format("<tr><td>{}</td><td>{}</td><td class=\"n\">{}</td></tr>",
                           code_anchor(key, kind), esc(explain::title_or_key(key, lang)),
                           html::figure("worklist:" + kind, n.get<std::int64_t>(),
                                        cnt(n.get<std::int64_t>())));
      }
      out += "</tbody></table>";
      out += fmt::format(
          "<table class=\"sortable\"><thead><tr><th class=\"n\">{}</th><th>{}</th><th>{}</th>"
          "<th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>",
          t(lang, "Werkdagen te laat", "Working days overdue"), t(lang, "Soort", "Kind"),
          t(lang, "Wie moet handelen", "Who must act"), t(lang, "Cliënt", "Client"),
          t(lang, "Betreft", "Concerns"), t(lang, "Verwacht", "Awaited"),
          t(lang, "Uiterlijk", "Due"));
      std::size_t shown = 0;
      for (const auto& it : r.worklist.items) {
        if (shown++ == o.max_rows) break;
        std::string x = it.concerns;
        std::replace(x.begin(), x.end(), ':', ' ');
        out += fmt::format(
            "<tr><td class=\"n\">{}</td><td>{}</td><td>{} {}</td><td>{}</td><td>{}</td>"
            "<td>{}</td><td>{}</td></tr>",
            it.overdue_working_days, esc(it.kind), esc(it.party_role), esc(it.party),
            it.bsn.empty() ? std::string("&ndash;") : bsn(it.bsn), esc(x), esc(it.awaited),
            esc(html::date(it.due, lang)));
      }
      out += "</tbody></table>";
      if (r.worklist.items.size() > o.max_rows)
        out += fmt::format("<p class=\"muted\">{}</p>",
                           fmt::format(fmt::runtime(t(lang, "De {} meest verlate van {} getoond.",
                                                      "The {} most overdue of {} shown.")),
                                       o.max_rows, cnt(open)));
    }
    out += "</section>\n";
  }

  void glossary() {
    out += fmt::format(
        "<section id=\"uitleg\"><h2>{}</h2>",
        t(lang, "Uitleg van de codes in dit rapport", "Explanation of the codes in this report"));
    for (const auto& key : used) {
      const explain::Entry* e = explain::find(key);
      if (!e) continue;
      out += fmt::format("<h3 id=\"{}\"><span class=\"code\">{}</span> &mdash; {}</h3>{}",
                         html::explain_id(key), esc(key), esc(e->title.in(lang)),
                         html::explanation(key, lang));
    }
    out += fmt::format("<p class=\"muted\">{}</p></section>\n",
                       t(lang,
                         "Meer over de controles, het beleid en de bestanden: docs/reconcile.md en "
                         "docs/report.md bij istd. Elke code uitgelegd: istd explain CODE.",
                         "More on the checks, the policy and the files: docs/reconcile.md and "
                         "docs/report.md with istd. Any code explained: istd explain CODE."));
  }
};

}  // namespace

std::string month_report_html(const reconcile::Result& r, const json& summary,
                              const MonthReportOptions& o) {
  Writer w{r, summary, o, o.lang, {}, {}};
  w.out.reserve(1 << 16);
  w.header();
  w.overview();
  w.providers();
  w.abonnementstarief();
  w.rejections();
  w.signals();
  w.worklist();
  w.glossary();
  w.out += html::page_end();
  return std::move(w.out);
}

}  // namespace istd::report
