#include "core/report/timeline_svg.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "core/report/html.hpp"

namespace istd::report {

namespace {

using delivery::State;
using html::esc;
using html::t;
using model::Date;

constexpr int kMaxMonths = 24;
constexpr double kLabelW = 150, kChartW = 620, kHeadH = 18, kRowH = 22, kBillH = 18;

int month_index(int y, int m) { return y * 12 + (m - 1); }

const char* css_class(State s) {
  switch (s) {
    case State::delivered:
      return "d";
    case State::paused:
      return "p";
    case State::not_started:
      return "ns";
    case State::stopped:
      return "st";
    case State::ended:
      return "en";
    default:
      return "ns";
  }
}

std::string_view state_name(State s, explain::Lang l) {
  switch (s) {
    case State::delivered:
      return t(l, "levering", "delivered");
    case State::paused:
      return t(l, "pauze (307 reden 20)", "paused (307 reason 20)");
    case State::not_started:
      return t(l, "nog niet gestart (geen 305)", "not started (no 305)");
    case State::stopped:
      return t(l, "gestopt (307)", "stopped (307)");
    case State::ended:
      return t(l, "toewijzing afgelopen", "allocation ended");
    default:
      return t(l, "geen", "none");
  }
}

/// "WMO305:A65-0305-01" -> "WMO305 A65-0305-01".
std::string message_label(std::string_view evidence) {
  std::string s(evidence);
  std::replace(s.begin(), s.end(), ':', ' ');
  return s;
}

}  // namespace

std::string timeline_svg(const ClientTimeline& c, explain::Lang lang) {
  // The months shown: from the earliest of allocation starts, billed and refund months, up to
  // the evaluation month; at most the last 24.
  const int last = month_index(c.to_year, c.to_month);
  int first = last;
  auto consider = [&](int idx) { first = std::min(first, idx); };
  for (const auto* a : c.allocations)
    consider(month_index(a->ingangsdatum.year, a->ingangsdatum.month));
  for (const auto* set : {&c.billed, &c.refund})
    for (const auto& m : *set)
      if (auto d = model::parse_date(m + "-01")) consider(month_index(d->year, d->month));
  first = std::max(first, last - kMaxMonths + 1);
  const int n = last - first + 1;
  const double mw = kChartW / n;
  const Date from{first / 12, first % 12 + 1, 1};
  const Date to = Date{last / 12, last % 12 + 1, 1}.last_of_month();

  auto x_of = [&](const Date& d) {  // left edge of a day
    const int idx = month_index(d.year, d.month) - first;
    return kLabelW + (idx + double(d.day - 1) / Date::days_in_month(d.year, d.month)) * mw;
  };
  auto x_end = [&](const Date& d) { return x_of(d.add_days(1)); };  // right edge of a day

  const double rows_h = kRowH * std::max<std::size_t>(c.allocations.size(), 1);
  const double height = kHeadH + rows_h + kBillH + 4;
  std::string s = fmt::format(
      "<svg class=\"timeline\" data-bsn=\"{}\" viewBox=\"0 0 {} {:.0f}\" width=\"{}\" "
      "height=\"{:.0f}\" role=\"img\" aria-label=\"{} {}\">",
      esc(c.bsn), kLabelW + kChartW, height, kLabelW + kChartW, height,
      t(lang, "Tijdlijn van", "Timeline of"), esc(c.bsn));
  // Refund months behind everything, then the month grid and labels.
  for (int i = 0; i < n; ++i) {
    const int y = (first + i) / 12, m = (first + i) % 12 + 1;
    const std::string ym = fmt::format("{:04d}-{:02d}", y, m);
    const double x = kLabelW + i * mw;
    if (c.refund.count(ym))
      s += fmt::format(
          "<rect class=\"rf\" x=\"{:.1f}\" y=\"0\" width=\"{:.1f}\" height=\"{:.0f}\">"
          "<title>{} {}</title></rect>",
          x, mw, height, t(lang, "Terug te betalen:", "Refund:"), html::month_name(ym, lang));
    s += fmt::format("<line class=\"grid\" x1=\"{0:.1f}\" y1=\"0\" x2=\"{0:.1f}\" y2=\"{1:.0f}\"/>",
                     x, height);
    if (mw >= 24 || i % ((n + 11) / 12) == 0)
      s += fmt::format("<text x=\"{:.1f}\" y=\"12\">{}</text>", x + 2,
                       html::month_short(y, m, lang));
  }
  // One row per allocation; bands numbered in reading order.
  std::string legend;
  int band_no = 0;
  for (std::size_t r = 0; r < c.allocations.size(); ++r) {
    const auto& a = *c.allocations[r];
    const double y = kHeadH + r * kRowH;
    s += fmt::format("<text x=\"0\" y=\"{:.0f}\">{} {}{}</text>", y + 15,
                     t(lang, "Toewijzing", "Allocation"), a.nummer,
                     a.deleted ? t(lang, " (verwijderd)", " (deleted)") : std::string_view());
    legend += fmt::format(
        "<p class=\"alloc\"><b>{} {}</b> ({}{}, {} {}): {} {}{}",
        t(lang, "Toewijzing", "Allocation"), a.nummer,
        a.categorie.empty() ? t(lang, "generiek", "generic") : "",
        a.categorie.empty() ? std::string()
                            : fmt::format("{} {}", t(lang, "categorie", "category"), a.categorie),
        t(lang, "aanbieder", "provider"), esc(a.agb), html::date(a.ingangsdatum, lang),
        a.einddatum ? fmt::format("{} {}", t(lang, "t/m", "to"), html::date(*a.einddatum, lang))
                    : std::string(t(lang, "(open einde)", "(open end)")),
        a.evidence.empty() ? std::string() : " &mdash; " + esc(message_label(a.evidence)));
    legend += a.deleted ? std::string(t(lang, "; verwijderd (RedenWijziging 13), telt niet mee",
                                        "; deleted (RedenWijziging 13), does not count"))
                        : std::string();
    legend += "</p><ol class=\"bands\">";
    for (const auto& iv : a.intervals) {
      if (iv.to < from || iv.from > to || iv.state == State::none) continue;
      const Date b = std::max(iv.from, from), e = std::min(iv.to, to);
      const double x0 = x_of(b), x1 = x_end(e);
      ++band_no;
      std::string proof = iv.evidence.empty() ? a.evidence : iv.evidence.back();
      const std::string until = iv.to == delivery::kForever ? std::string(t(lang, "open", "open"))
                                                            : html::date(iv.to, lang);
      s += fmt::format(
          "<rect class=\"{}\" x=\"{:.1f}\" y=\"{:.0f}\" width=\"{:.1f}\" "
          "height=\"{:.0f}\"><title>{}: {} {} {} &mdash; {}</title></rect>",
          css_class(iv.state), x0, y + 3, std::max(x1 - x0, 1.0), kRowH - 6,
          state_name(iv.state, lang), html::date(iv.from, lang), t(lang, "t/m", "to"), until,
          esc(message_label(proof)));
      if (x1 - x0 >= 14)
        s += fmt::format("<text class=\"num\" x=\"{:.1f}\" y=\"{:.0f}\">{}</text>", x0 + 3, y + 15,
                         band_no);
      legend +=
          fmt::format("<li value=\"{}\">{} {} {} {}: {}</li>", band_no, state_name(iv.state, lang),
                      html::date(iv.from, lang), t(lang, "t/m", "to"), until,
                      proof.empty() ? std::string(t(lang, "geen bericht", "no message"))
                                    : esc(message_label(proof)));
    }
    for (const auto& [d, by] : a.deletions)
      legend +=
          fmt::format("<li class=\"muted\">{} {} {} {}</li>",
                      t(lang, "Verwijderd (StatusAanlevering 3): start of stop met Begindatum",
                        "Deleted (StatusAanlevering 3): start or stop with Begindatum"),
                      html::date(d, lang), t(lang, "door", "by"), esc(message_label(by)));
    legend += "</ol>";
  }
  // The months the CAK billed.
  const double yb = kHeadH + rows_h;
  s += fmt::format("<text x=\"0\" y=\"{:.0f}\">{}</text>", yb + 13,
                   t(lang, "CAK gefactureerd", "Billed by the CAK"));
  for (const auto& m : c.billed) {
    auto d = model::parse_date(m + "-01");
    if (!d) continue;
    const int i = month_index(d->year, d->month) - first;
    if (i < 0 || i >= n) continue;
    s += fmt::format(
        "<rect class=\"bl\" x=\"{:.1f}\" y=\"{:.0f}\" width=\"{:.1f}\" "
        "height=\"10\"><title>{} {}</title></rect>",
        kLabelW + i * mw + 2, yb + 4, std::max(mw - 4, 2.0), t(lang, "Gefactureerd:", "Billed:"),
        html::month_name(m, lang));
  }
  s += "</svg>\n<div class=\"legend-bands\">" + legend + "</div>\n";
  return s;
}

}  // namespace istd::report
