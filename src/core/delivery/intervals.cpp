#include "core/delivery/intervals.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace istd::delivery {

std::string_view to_string(State s) {
  switch (s) {
    case State::none: return "none";
    case State::not_started: return "not-started";
    case State::delivered: return "delivered";
    case State::paused: return "paused";
    case State::stopped: return "stopped";
    case State::ended: return "ended";
  }
  return "none";
}

namespace {

Date prev_day(Date d) { return d == kForever ? d : d.add_days(-1); }
Date next_day(Date d) { return d == kForever ? d : d.add_days(1); }

int rank(State s) {
  switch (s) {
    case State::delivered: return 5;
    case State::paused: return 4;
    case State::not_started: return 3;
    case State::stopped: return 2;
    case State::ended: return 1;
    case State::none: return 0;
  }
  return 0;
}

}  // namespace

State combine(State a, State b) { return rank(a) >= rank(b) ? a : b; }

Result compute(const Allocation& a, std::vector<Start> starts, std::vector<Stop> stops,
               const Options& opt) {
  Result res;
  if (a.deleted) return res;
  const Date alloc_from = a.ingangsdatum;
  const Date alloc_to = a.einddatum.value_or(kForever);

  std::sort(starts.begin(), starts.end(),
            [](const Start& x, const Start& y) { return x.begindatum < y.begindatum; });
  // The last delivered day of a stop.
  auto last_day = [&](const Stop& s) {
    return opt.stop_einddatum_inclusive ? s.einddatum : prev_day(s.einddatum);
  };

  std::vector<Interval> raw;
  for (std::size_t i = 0; i < starts.size(); ++i) {
    const Start& s = starts[i];
    const Stop* pause = nullptr;
    const Stop* definitive = nullptr;
    for (const auto& st : stops) {
      if (st.begindatum != s.begindatum) continue;
      if (st.reden == "20") {
        if (!pause || st.einddatum < pause->einddatum) pause = &st;
      } else if (!definitive || st.einddatum < definitive->einddatum) {
        definitive = &st;
      }
    }
    const Date next = i + 1 < starts.size() ? prev_day(starts[i + 1].begindatum) : kForever;
    const Date last_delivered =
        pause ? last_day(*pause) : (definitive ? last_day(*definitive) : kForever);
    std::vector<std::string> ev{s.evidence};
    raw.push_back(Interval{State::delivered, s.begindatum, std::min(last_delivered, next), ev});
    if (pause) {
      std::vector<std::string> pev{s.evidence, pause->evidence};
      const Date pause_to = definitive ? std::min(last_day(*definitive), next) : next;
      raw.push_back(Interval{State::paused, next_day(last_day(*pause)), pause_to, pev});
    }
    if (definitive) {
      std::vector<std::string> dev{s.evidence, definitive->evidence};
      raw.push_back(Interval{State::stopped, next_day(last_day(*definitive)), next, dev});
    }
    if (s.begindatum < alloc_from || s.begindatum > alloc_to)
      res.warnings.push_back(fmt::format(
          "start {} lies outside the allocation period {} .. {}", s.begindatum.to_string(),
          alloc_from.to_string(), a.einddatum ? a.einddatum->to_string() : std::string("open")));
  }
  if (starts.empty()) {
    raw.push_back(Interval{State::not_started, alloc_from, alloc_to, {}});
  } else {
    raw.push_back(Interval{State::not_started, alloc_from, prev_day(starts.front().begindatum), {}});
  }

  // Drop empty intervals, keep the unclipped facts, clip to [I, E].
  for (const auto& iv : raw) {
    if (iv.to < iv.from) continue;
    if (iv.state != State::not_started) res.unclipped.push_back(iv);
    Interval c = iv;
    c.from = std::max(c.from, alloc_from);
    c.to = std::min(c.to, alloc_to);
    if (c.to < c.from) continue;
    res.intervals.push_back(std::move(c));
  }
  if (a.einddatum && *a.einddatum != kForever)
    res.intervals.push_back(Interval{State::ended, next_day(*a.einddatum), kForever, {}});
  std::sort(res.intervals.begin(), res.intervals.end(),
            [](const Interval& x, const Interval& y) { return x.from < y.from; });
  std::sort(res.unclipped.begin(), res.unclipped.end(),
            [](const Interval& x, const Interval& y) { return x.from < y.from; });
  return res;
}

State state_on(const std::vector<Interval>& intervals, Date day) {
  State s = State::none;
  for (const auto& iv : intervals)
    if (iv.from <= day && day <= iv.to) s = combine(s, iv.state);
  return s;
}

}  // namespace istd::delivery
