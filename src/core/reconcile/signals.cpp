#include "core/reconcile/signals.hpp"

#include <algorithm>
#include <optional>

#include "core/reconcile/volumes.hpp"

namespace istd::reconcile {

using delivery::Interval;
using delivery::State;

namespace {

void add_evidence(std::vector<std::string>& ev, const std::vector<std::string>& more) {
  for (const auto& e : more)
    if (!e.empty() && std::find(ev.begin(), ev.end(), e) == ev.end()) ev.push_back(e);
}

/// Days of [from, to] in intervals of state `s`, and the evidence of those intervals.
std::int64_t days_in_state(const std::vector<Interval>& iv, State s, Date from, Date to,
                           std::vector<std::string>* ev) {
  std::int64_t n = 0;
  for (const auto& i : iv) {
    if (i.state != s) continue;
    const Date a = std::max(i.from, from);
    const Date b = std::min(i.to, to);
    if (b < a) continue;
    n += b.days() - a.days() + 1;
    if (ev) add_evidence(*ev, i.evidence);
  }
  return n;
}

}  // namespace

std::vector<Signal> signals_for(const Allocation& a, const std::vector<Interval>* iv,
                                const Line& line) {
  std::vector<Signal> out;
  if (line.credit || a.deleted) return out;
  static const std::vector<Interval> kNone;
  const auto& ivs = iv ? *iv : kNone;
  const std::int64_t days = line.eind.days() - line.begin.days() + 1;
  if (days <= 0) return out;

  // before-start: no live start (no delivered interval at all), or PP ends before the first.
  std::optional<Date> first_delivered;
  std::vector<std::string> start_ev;
  for (const auto& i : ivs)
    if (i.state == State::delivered && (!first_delivered || i.from < *first_delivered)) {
      first_delivered = i.from;
      start_ev = i.evidence;
    }
  if (!first_delivered || line.eind < *first_delivered) {
    Signal s{"before-start", {}};
    if (!a.evidence.empty()) s.evidence.push_back(a.evidence);
    add_evidence(s.evidence, start_ev);
    out.push_back(std::move(s));
    return out;
  }
  std::vector<std::string> pev;
  const std::int64_t paused = days_in_state(ivs, State::paused, line.begin, line.eind, &pev);
  if (paused == days) {
    out.push_back(Signal{"in-pause", pev});
    return out;
  }
  std::vector<std::string> sev;
  if (days_in_state(ivs, State::stopped, line.begin, line.eind, &sev) == days) {
    out.push_back(Signal{"after-stop", sev});
    return out;
  }
  // partial-pause: a monthly (Frequentie 4) or output/fixed-fee product claimed in full while a
  // pause covers part of the product period.
  if (paused > 0 && a.has_omvang() && (a.frequentie == "4" || output_based(a.eenheid))) {
    auto max = max_per_period(a, line.begin, line.eind);
    if (max && line.volume * line_factor(a, line.eenheid) >= *max)
      out.push_back(Signal{"partial-pause", pev});
  }
  return out;
}

}  // namespace istd::reconcile
