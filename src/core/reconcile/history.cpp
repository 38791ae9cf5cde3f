#include "core/reconcile/history.hpp"

#include <algorithm>
#include <mutex>
#include <unordered_set>

namespace istd::reconcile {

std::string_view intern(std::string_view s) {
  static std::mutex mu;
  static std::unordered_set<std::string, std::hash<std::string>, std::equal_to<>>* pool =
      new std::unordered_set<std::string, std::hash<std::string>, std::equal_to<>>();
  std::lock_guard<std::mutex> lock(mu);
  // Elements of an unordered_set are never moved (node-based): the views stay valid.
  return *pool->emplace(s).first;
}

void History::add_allocation(Allocation a) {
  AllocKey key{a.gemeente, a.nummer};
  known_bsn_.emplace(a.agb, a.gemeente, a.bsn);
  auto it = alloc_index_.find(key);
  if (it != alloc_index_.end()) {
    allocations_[it->second] = std::move(a);
    return;
  }
  const std::size_t idx = allocations_.size();
  by_provider_[{a.agb, a.gemeente}].push_back(idx);
  allocations_.push_back(std::move(a));
  alloc_index_.emplace(std::move(key), idx);
}

const Allocation* History::allocation(std::string_view gemeente, std::int64_t nummer) const {
  auto it = alloc_index_.find(AllocKey{std::string(gemeente), nummer});
  return it == alloc_index_.end() ? nullptr : &allocations_[it->second];
}

bool History::bsn_known(std::string_view agb, std::string_view gemeente,
                        std::string_view bsn) const {
  return known_bsn_.count({std::string(agb), std::string(gemeente), std::string(bsn)}) > 0;
}

std::vector<const Allocation*> History::allocations_of(std::string_view agb,
                                                       std::string_view gemeente) const {
  std::vector<const Allocation*> out;
  auto it = by_provider_.find({std::string(agb), std::string(gemeente)});
  if (it == by_provider_.end()) return out;
  for (std::size_t i : it->second) out.push_back(&allocations_[i]);
  return out;
}

void History::set_intervals(std::string_view gemeente, std::int64_t nummer,
                            std::vector<delivery::Interval> intervals) {
  intervals_[AllocKey{std::string(gemeente), nummer}] = std::move(intervals);
}

const std::vector<delivery::Interval>* History::intervals(std::string_view gemeente,
                                                          std::int64_t nummer) const {
  auto it = intervals_.find(AllocKey{std::string(gemeente), nummer});
  return it == intervals_.end() ? nullptr : &it->second;
}

std::vector<delivery::Interval> History::take_intervals(std::string_view gemeente,
                                                       std::int64_t nummer) {
  auto it = intervals_.find(AllocKey{std::string(gemeente), nummer});
  if (it == intervals_.end()) return {};
  return std::move(it->second);
}

void History::add_processed_declaration(const Declaration& d) {
  decl_numbers_.emplace(d.agb, d.nummer);
  auto& l = latest_[{d.agb, d.gemeente}];
  if (l < d.periode_begin) l = d.periode_begin;
}

bool History::declaratie_nummer_used(std::string_view agb, std::string_view nummer) const {
  return decl_numbers_.count({std::string(agb), std::string(nummer)}) > 0;
}

std::optional<Date> History::latest_period(std::string_view agb,
                                           std::string_view gemeente) const {
  auto it = latest_.find({std::string(agb), std::string(gemeente)});
  if (it == latest_.end()) return std::nullopt;
  return it->second;
}

void History::add_line(const Line& l) {
  const auto idx = static_cast<std::uint32_t>(lines_.size());
  HistLine& h = lines_.emplace_back();
  h.id = l.id;
  h.declaration_id = l.declaration_id;
  h.nummer = l.nummer;
  h.volume = l.volume;
  h.bedrag = l.bedrag;
  h.tarief = l.tarief;
  h.credited_by = l.credited_by;
  h.begin = l.begin;
  h.eind = l.eind;
  h.bsn = intern(l.bsn);
  h.categorie = intern(l.categorie);
  h.code = intern(l.code);
  h.eenheid = intern(l.eenheid);
  h.credit = l.credit;
  h.verdict = l.verdict;
  const std::string_view agb = intern(l.agb);
  auto link = [&](Chain& c, std::uint32_t HistLine::*next) {
    if (c.last == HistLine::kNone) c.first = idx;
    else lines_[c.last].*next = idx;
    c.last = idx;
  };
  link(by_ref_[RefKey{agb, l.referentie}], &HistLine::next_ref);
  link(by_alloc_[LineAllocKey{agb, intern(l.gemeente), l.nummer}], &HistLine::next_alloc);
  if (l.credit && l.verdict == LineVerdict::approved && l.vorig) {
    auto it = by_ref_.find(RefKey{agb, *l.vorig});
    if (it != by_ref_.end())
      for (std::uint32_t i = it->second.first; i != HistLine::kNone; i = lines_[i].next_ref) {
        HistLine& d = lines_[i];
        if (!d.credit && d.verdict == LineVerdict::approved && !d.credited_by) d.credited_by = l.id;
      }
  }
}

std::vector<const HistLine*> History::by_referentie(std::string_view agb,
                                                    std::string_view ref) const {
  std::vector<const HistLine*> out;
  auto it = by_ref_.find(RefKey{intern(agb), std::string(ref)});
  if (it == by_ref_.end()) return out;
  for (std::uint32_t i = it->second.first; i != HistLine::kNone; i = lines_[i].next_ref)
    out.push_back(&lines_[i]);
  return out;
}

std::vector<const HistLine*> History::on_allocation(std::string_view agb,
                                                    std::string_view gemeente,
                                                    std::int64_t nummer) const {
  std::vector<const HistLine*> out;
  auto it = by_alloc_.find(LineAllocKey{intern(agb), intern(gemeente), nummer});
  if (it == by_alloc_.end()) return out;
  for (std::uint32_t i = it->second.first; i != HistLine::kNone; i = lines_[i].next_alloc)
    out.push_back(&lines_[i]);
  return out;
}

}  // namespace istd::reconcile
