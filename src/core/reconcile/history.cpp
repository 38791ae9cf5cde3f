#include "core/reconcile/history.hpp"

#include <algorithm>

namespace istd::reconcile {

namespace {
std::string ref_key(std::string_view agb, std::string_view ref) {
  std::string k(agb);
  k += '\0';
  k += ref;
  return k;
}
std::string alloc_key(std::string_view agb, std::string_view gemeente, std::int64_t nummer) {
  std::string k(agb);
  k += '\0';
  k += gemeente;
  k += '\0';
  k += std::to_string(nummer);
  return k;
}
}  // namespace

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
  const std::size_t idx = lines_.size();
  lines_.push_back(l);
  by_ref_[ref_key(l.agb, l.referentie)].push_back(idx);
  by_alloc_[alloc_key(l.agb, l.gemeente, l.nummer)].push_back(idx);
  by_id_[l.id] = idx;
  if (l.credit && l.verdict == LineVerdict::approved && l.vorig) {
    for (std::size_t i : by_ref_[ref_key(l.agb, *l.vorig)]) {
      Line& d = lines_[i];
      if (!d.credit && d.verdict == LineVerdict::approved && !d.credited_by) d.credited_by = l.id;
    }
  }
}

std::vector<const Line*> History::by_referentie(std::string_view agb,
                                                std::string_view ref) const {
  std::vector<const Line*> out;
  auto it = by_ref_.find(ref_key(agb, ref));
  if (it == by_ref_.end()) return out;
  for (std::size_t i : it->second) out.push_back(&lines_[i]);
  return out;
}

std::vector<const Line*> History::on_allocation(std::string_view agb, std::string_view gemeente,
                                                std::int64_t nummer) const {
  std::vector<const Line*> out;
  auto it = by_alloc_.find(alloc_key(agb, gemeente, nummer));
  if (it == by_alloc_.end()) return out;
  for (std::size_t i : it->second) out.push_back(&lines_[i]);
  return out;
}

}  // namespace istd::reconcile
