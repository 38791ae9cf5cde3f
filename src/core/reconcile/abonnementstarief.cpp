#include "core/reconcile/abonnementstarief.hpp"

#include "core/util/money.hpp"

#include <algorithm>
#include <set>
#include <unordered_map>

#include <fmt/format.h>

namespace istd::reconcile {

using delivery::State;
using model::Date;

namespace {

int month_index(int year, int month) { return year * 12 + (month - 1); }
int month_index(Date d) { return month_index(d.year, d.month); }
Date month_first(int idx) { return Date{idx / 12, idx % 12 + 1, 1}; }
Date month_last(int idx) { return month_first(idx).last_of_month(); }
std::string month_text(int idx) { return fmt::format("{:04d}-{:02d}", idx / 12, idx % 12 + 1); }

// Per person-month flags.
enum : std::uint16_t {
  kEligible = 1,
  kDelivered = 2,
  kPaused = 4,
  kNotStarted = 8,
  kStopped = 16,  // STOPPED or ENDED
  kEpisodeStart = 32,
  kEarlierEpisode = 64,  // eligible days of an episode that began before this month
  kDeleted = 128,        // a deleted relevant allocation exists (after-stop fallback)
};

struct Person {
  std::vector<std::size_t> allocs;
  std::optional<Date> birth;
  /// Flags of the months first_month .. first_month + months.size() - 1 (every month from the
  /// person's first relevant day to the evaluation month; empty when there is none).
  int first_month = 0;
  std::vector<std::uint16_t> months;
  std::uint16_t flags(int m) const {
    if (m < first_month || m >= first_month + static_cast<int>(months.size())) return 0;
    return months[static_cast<std::size_t>(m - first_month)];
  }
};

void add_unique(std::vector<std::string>& v, const std::string& s) {
  if (!s.empty() && std::find(v.begin(), v.end(), s) == v.end()) v.push_back(s);
}

}  // namespace

AtResult check_abonnementstarief(const AtInput& input, const Policy& pol) {
  return check_abonnementstarief(input.allocations, input.geboortedatum,
                                 input.billing ? &*input.billing : nullptr, input.year,
                                 input.month, pol);
}

AtResult check_abonnementstarief(const std::vector<AtAllocation>& allocations,
                                 const std::map<std::string, model::Date>& geboortedatum,
                                 const std::vector<BillingLine>* billing, int year, int month,
                                 const Policy& pol) {
  const struct {
    const std::vector<AtAllocation>& allocations;
    const std::map<std::string, model::Date>& geboortedatum;
    const std::vector<BillingLine>* billing;
    int year, month;
  } in{allocations, geboortedatum, billing, year, month};
  AtResult res;
  const int eval = month_index(in.year, in.month);
  const Date wend = month_last(eval);

  // Persons.
  std::map<std::string, Person> persons;
  for (std::size_t i = 0; i < in.allocations.size(); ++i)
    persons[in.allocations[i].bsn].allocs.push_back(i);
  if (in.billing)
    for (const auto& b : *in.billing) persons[b.bsn];
  for (auto& [bsn, p] : persons)
    if (auto it = in.geboortedatum.find(bsn); it != in.geboortedatum.end()) p.birth = it->second;

  // Households (billing input; otherwise every person is a household).
  std::map<std::string, std::string> household_of;
  if (in.billing)
    for (const auto& b : *in.billing)
      if (!b.household.empty()) household_of.emplace(b.bsn, b.household);
  auto household = [&](const std::string& bsn) {
    auto it = household_of.find(bsn);
    return it == household_of.end() ? bsn : it->second;
  };

  auto relevant_cat = [&](const AtAllocation& a) {
    return a.categorie.empty() || !pol.exempt_categories.count(a.categorie);
  };

  std::map<std::string, Date> first_bill;
  if (in.billing)
    for (const auto& b : *in.billing) {
      const Date d{b.year, b.month, 1};
      auto [it, fresh] = first_bill.emplace(b.bsn, d);
      if (!fresh && d < it->second) it->second = d;
    }

  std::vector<std::uint8_t> st, elig, inside, notpaused, claim;
  for (auto& [bsn, p] : persons) {
    Date w0 = wend.add_days(1);
    for (std::size_t i : p.allocs) w0 = std::min(w0, in.allocations[i].ingangsdatum);
    if (auto it = first_bill.find(bsn); it != first_bill.end()) w0 = std::min(w0, it->second);
    if (wend < w0) continue;
    w0 = w0.first_of_month();
    const std::int64_t base = w0.days();
    const std::size_t n = static_cast<std::size_t>(wend.days() - base + 1);
    st.assign(n, 0);
    elig.assign(n, 0);
    inside.assign(n, 0);
    notpaused.assign(n, 0);
    claim.assign(n, 0);
    bool has_deleted = false;
    Date deleted_from = wend;
    auto idx = [&](Date d) { return static_cast<std::size_t>(d.days() - base); };
    auto fill = [&](std::vector<std::uint8_t>& v, Date from, Date to, std::uint8_t val, bool max) {
      from = std::max(from, w0);
      to = std::min(to, wend);
      if (to < from) return;
      for (std::size_t k = idx(from); k <= idx(to); ++k) v[k] = max ? std::max(v[k], val) : val;
    };
    for (std::size_t ai : p.allocs) {
      const AtAllocation& a = in.allocations[ai];
      if (!relevant_cat(a)) continue;
      if (a.deleted) {
        has_deleted = true;
        deleted_from = std::min(deleted_from, a.ingangsdatum);
        continue;
      }
      Date adult_from = w0;
      if (pol.minors_exempt && p.birth && !pol.minors_charged_categories.count(a.categorie))
        adult_from = p.birth->add_months(18 * 12);
      for (const auto& iv : a.intervals) {
        const Date from = std::max(iv.from, adult_from);
        // Rank so that max() implements delivery::combine.
        std::uint8_t r = 0;
        switch (iv.state) {
          case State::delivered: r = 5; break;
          case State::paused: r = 4; break;
          case State::not_started: r = 3; break;
          case State::stopped: r = 2; break;
          case State::ended: r = 1; break;
          case State::none: r = 0; break;
        }
        fill(st, from, iv.to, r, true);
        if (iv.state != State::ended) {
          fill(inside, from, iv.to, 1, true);
          if (iv.state != State::paused) fill(notpaused, from, iv.to, 1, true);
        }
      }
      for (const auto& [b, e] : a.claimed) fill(claim, std::max(b, adult_from), e, 1, true);
    }
    for (std::size_t k = 0; k < n; ++k) {
      bool e = false;
      switch (pol.trigger) {
        case Trigger::delivery: e = st[k] == 5 || (!pol.pause_suspends && st[k] == 4); break;
        case Trigger::allocation: e = inside[k] && (!pol.pause_suspends || notpaused[k]); break;
        case Trigger::declaration: e = claim[k] != 0; break;
      }
      elig[k] = e;
    }
    // Month flags and episodes.
    p.first_month = month_index(w0);
    p.months.assign(static_cast<std::size_t>(eval - p.first_month + 1), 0);
    std::optional<Date> ep_start;
    for (std::size_t k = 0; k < n; ++k) {
      const Date d = Date::from_days(base + static_cast<std::int64_t>(k));
      std::uint16_t& f = p.months[static_cast<std::size_t>(month_index(d) - p.first_month)];
      switch (st[k]) {
        case 5: f |= kDelivered; break;
        case 4: f |= kPaused; break;
        case 3: f |= kNotStarted; break;
        case 2: case 1: f |= kStopped; break;
        default: break;
      }
      if (has_deleted && deleted_from <= d) f |= kDeleted;
      if (elig[k]) {
        f |= kEligible;
        if (!ep_start) {
          ep_start = d;
          f |= kEpisodeStart;
        } else if (month_index(*ep_start) != month_index(d)) {
          f |= kEarlierEpisode;
        }
      } else if (ep_start) {
        res.episodes.push_back({bsn, *ep_start, d.add_days(-1)});
        ep_start.reset();
      }
    }
    if (ep_start) res.episodes.push_back({bsn, *ep_start, std::nullopt});
  }

  // Household-month flags.
  std::map<std::string, std::vector<std::string>> members;
  for (const auto& [bsn, p] : persons) members[household(bsn)].push_back(bsn);
  auto hh_flags = [&](const std::string& hh, int m) {
    std::uint16_t f = 0;
    for (const auto& bsn : members[hh]) f |= persons[bsn].flags(m);
    return f;
  };
  auto billable = [](std::uint16_t f) { return (f & kEligible) != 0; };
  auto start_month = [](std::uint16_t f) {
    return (f & kEpisodeStart) && !(f & kEarlierEpisode);
  };
  auto expected = [&](std::uint16_t f) {
    return billable(f) && (pol.start_month_billed || !start_month(f));
  };
  auto evidence = [&](const std::string& hh, int m) {
    std::vector<std::string> ev;
    const Date first = month_first(m), last = month_last(m);
    for (const auto& bsn : members[hh])
      for (std::size_t ai : persons[bsn].allocs) {
        const AtAllocation& a = in.allocations[ai];
        if (last < a.ingangsdatum) continue;
        add_unique(ev, a.evidence);
        for (const auto& iv : a.intervals)
          if (iv.from <= last && first <= iv.to)
            for (const auto& e : iv.evidence) add_unique(ev, e);
        for (const auto& [d, e] : a.deletions)
          if (d <= last) add_unique(ev, e);
      }
    return ev;
  };
  auto amount_of = [&](int m) -> std::optional<std::int64_t> {
    auto it = pol.amounts.find(m / 12);
    if (it == pol.amounts.end()) return std::nullopt;
    return it->second;
  };
  auto refund_reason = [&](std::uint16_t f) -> std::string {
    if (pol.trigger == Trigger::declaration && (f & kDelivered)) return "not-claimed";
    if (f & kPaused) return "pause";
    if (f & kNotStarted) return "before-start";
    if ((f & kStopped) || (f & kDeleted)) return "after-stop";
    return "no-allocation";
  };

  // Stop expected (OP288): an allocation ended while still delivering, without a 307.
  for (const auto& a : in.allocations) {
    if (a.deleted || !a.einddatum || wend < *a.einddatum || !relevant_cat(a)) continue;
    if (delivery::state_on(a.intervals, *a.einddatum) != State::delivered) continue;
    AtFinding f;
    f.bsn = a.bsn;
    f.household = household(a.bsn);
    f.month = month_text(month_index(*a.einddatum));
    f.reason = "stop-expected";
    f.date = a.einddatum->to_string();
    add_unique(f.evidence, a.evidence);
    for (const auto& iv : a.intervals)
      if (iv.state == State::delivered)
        for (const auto& e : iv.evidence) add_unique(f.evidence, e);
    f.detail = fmt::format("allocation {} ended on {} while delivering; a 307 is expected (OP288)",
                           a.nummer, f.date);
    res.findings.push_back(std::move(f));
  }

  if (in.billing) {
    // Group billing lines by household-month (up to the evaluation month).
    // One entry per line, sorted by (household, month), file order within: a group is a run.
    struct G {
      const std::string* hh;
      int m;
      const BillingLine* line;
    };
    std::vector<G> sorted;
    int first_billed = eval + 1;
    {
      std::size_t n = 0;
      for (const auto& b : *in.billing) n += month_index(b.year, b.month) <= eval;
      sorted.reserve(n);
    }
    for (const auto& b : *in.billing) {
      const int m = month_index(b.year, b.month);
      if (m > eval) continue;
      auto it = household_of.find(b.bsn);
      sorted.push_back({it == household_of.end() ? &b.bsn : &it->second, m, &b});
      first_billed = std::min(first_billed, m);
    }
    std::stable_sort(sorted.begin(), sorted.end(), [](const G& x, const G& y) {
      if (const int c = x.hh->compare(*y.hh); c != 0) return c < 0;
      return x.m < y.m;
    });
    auto billed = [&](const std::string& hh, int m) {
      auto it = std::lower_bound(sorted.begin(), sorted.end(), std::pair<const std::string*, int>{&hh, m},
                                 [](const G& x, const std::pair<const std::string*, int>& k) {
                                   if (const int c = x.hh->compare(*k.first); c != 0) return c < 0;
                                   return x.m < k.second;
                                 });
      return it != sorted.end() && *it->hh == hh && it->m == m;
    };
    std::vector<const BillingLine*> lines;
    for (std::size_t g = 0; g < sorted.size();) {
      std::size_t e = g;
      lines.clear();
      while (e < sorted.size() && *sorted[e].hh == *sorted[g].hh && sorted[e].m == sorted[g].m)
        lines.push_back(sorted[e++].line);
      const std::string& hh = *sorted[g].hh;
      const int m = sorted[g].m;
      g = e;
      const std::uint16_t f = hh_flags(hh, m);
      const BillingLine& b = *lines.front();
      const auto year_amount = amount_of(m);
      auto base = [&](std::string reason) {
        AtFinding x;
        x.bsn = b.bsn;
        x.household = hh;
        x.month = month_text(m);
        x.reason = std::move(reason);
        x.amount = b.amount;
        x.expected_amount = year_amount;
        return x;
      };
      for (std::size_t i = 1; i < lines.size(); ++i) {
        AtFinding x = base("duplicate-household");
        x.bsn = lines[i]->bsn;
        x.amount = lines[i]->amount;
        x.refund = true;
        x.evidence = {fmt::format("billing line {}", lines.front()->line),
                      fmt::format("billing line {}", lines[i]->line)};
        x.detail = fmt::format("household {} billed {} times for {}; one amount per household",
                               hh, lines.size(), x.month);
        res.findings.push_back(std::move(x));
      }
      if (!billable(f)) {
        AtFinding x = base(refund_reason(f));
        x.refund = true;
        x.evidence = evidence(hh, m);
        x.detail = fmt::format("billed {} but no eligible day under trigger {}", x.month,
                               to_string(pol.trigger));
        res.findings.push_back(std::move(x));
        continue;
      }
      if (start_month(f) && !pol.start_month_billed) {
        AtFinding x = base("start-month");
        x.evidence = evidence(hh, m);
        x.detail = "episode start month: the CAK bills from the month after the start";
        res.findings.push_back(std::move(x));
      }
      if (!year_amount) {
        AtFinding x = base("amount-unknown");
        x.detail = fmt::format("no amount configured for {} (policy amount.{})", m / 12, m / 12);
        res.findings.push_back(std::move(x));
      } else if (b.amount != *year_amount) {
        AtFinding x = base("amount-mismatch");
        x.detail = fmt::format("billed EUR {}, the {} amount is EUR {}",
                               util::format_euros(b.amount), m / 12,
                               util::format_euros(*year_amount));
        res.findings.push_back(std::move(x));
      }
    }
    // not-billed: billable, expected, no line — within the months the billing list covers.
    for (const auto& [hh, mem] : members) {
      for (int m = first_billed; m <= eval; ++m) {
        if (billed(hh, m)) continue;
        const std::uint16_t f = hh_flags(hh, m);
        if (!expected(f)) continue;
        AtFinding x;
        x.household = hh;
        for (const auto& bsn : mem)
          if (persons[bsn].flags(m) & kEligible) {
            x.bsn = bsn;
            break;
          }
        x.month = month_text(m);
        x.reason = "not-billed";
        x.expected_amount = amount_of(m);
        x.amount = x.expected_amount.value_or(0);
        x.evidence = evidence(hh, m);
        x.detail = "billable month without a billing line";
        res.findings.push_back(std::move(x));
      }
    }
  } else {
    // No billing data: WMO405 start/stop dates per person and billable months per household.
    for (const auto& e : res.episodes) {
      AtFinding x;
      x.bsn = e.bsn;
      x.household = household(e.bsn);
      x.month = month_text(month_index(e.start));
      x.reason = "episode-start";
      x.date = e.start.to_string();
      x.evidence = evidence(x.household, month_index(e.start));
      x.detail = "WMO405 start eigen bijdrage";
      res.findings.push_back(x);
      if (e.stop) {
        x.month = month_text(month_index(*e.stop));
        x.reason = "episode-stop";
        x.date = e.stop->to_string();
        x.evidence = evidence(x.household, month_index(*e.stop));
        x.detail = "WMO405 stop eigen bijdrage";
        res.findings.push_back(x);
      }
    }
    for (const auto& [hh, mem] : members) {
      std::set<int> months;
      for (const auto& bsn : mem) {
        const Person& p = persons[bsn];
        for (std::size_t k = 0; k < p.months.size(); ++k)
          if (p.months[k] & kEligible) months.insert(p.first_month + static_cast<int>(k));
      }
      for (int m : months) {
        const std::uint16_t f = hh_flags(hh, m);
        AtFinding x;
        x.household = hh;
        x.bsn = mem.front();
        for (const auto& bsn : mem)
          if (persons[bsn].flags(m) & kEligible) {
            x.bsn = bsn;
            break;
          }
        x.month = month_text(m);
        x.reason = "billable";
        x.expected_amount = amount_of(m);
        x.amount = expected(f) ? x.expected_amount.value_or(0) : 0;
        x.detail = expected(f) ? "billable" : "billable, start month (not expected to be billed)";
        res.findings.push_back(std::move(x));
      }
    }
  }
  std::stable_sort(res.findings.begin(), res.findings.end(),
                   [](const AtFinding& a, const AtFinding& b) {
                     return std::tie(a.month, a.household, a.bsn, a.reason, a.date) <
                            std::tie(b.month, b.household, b.bsn, b.reason, b.date);
                   });
  return res;
}

}  // namespace istd::reconcile
