// Cross-message rules (docs/ingest.md) for 301, 305 and 307, evaluated against the ledger
// and applied to it class by class. The caller wraps a call in a Ledger::Savepoint and rolls it
// back when `rejected()`.
#pragma once

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/finding.hpp"
#include "core/ledger/ledger.hpp"
#include "core/model.hpp"

namespace istd::ingest {

struct CrossResult {
  /// Errors (with rule and retourcode) and warnings (OP087, TR019 notes, version clashes).
  std::vector<Finding> findings;
  /// Per class in document order (StartProduct / StopProduct / ToegewezenProduct): its codes,
  /// empty when fine.
  std::vector<std::vector<std::string>> class_codes;
  bool rejected() const;
  /// Records finding `f` against class `cls` (its retourcode joins that class's codes).
  void add(std::size_t cls, Finding f);
};

/// A level-3 finding on `node` of `m` (its Locatie and place in the file).
Finding cross_finding(const model::Message& m, model::NodeId node, std::string_view rule,
                      std::string_view code, std::string text, Severity sev = Severity::error);

/// Header rules: TR056 (9056: same BerichtCode, Afzender, Identificatie as an earlier input with
/// other bytes; `same_key` are those inputs, Ledger::earlier_inputs) and TR135 (8848:
/// Dagtekening after `today`).
std::vector<Finding> check_header(const std::vector<ledger::MessageRecord>& same_key,
                                  const model::Message& m, model::Date today);

/// 305 / 307: TR019, TR063, TR069, TR071, TR074, TR326, TR413, TR414, TR415. Status-3 classes
/// first, then status-1 classes, each in document order; every clean class is applied at once
/// (later classes see it). `id` is the message's ledger row. A class without ToewijzingNummer
/// from a provider in `taakgericht` is not 9019; it is keyed and matched by its Product.
CrossResult apply_startstop(ledger::Ledger& ledger, const model::Message& m,
                            ledger::MessageId id, const std::set<std::string>& taakgericht = {});

/// Sends ahead what apply_startstop (305/307) or apply_allocations (301) will read first
/// (Ledger::expect_allocation_state and the like), so that it shares the round trip of the
/// message's first lookup. Nothing for other types; nothing on SQLite.
void expect_class_reads(ledger::Ledger& ledger, const model::Message& m);

/// 301: TR332 per ToegewezenProduct; when clean, stores the versions (a version with the same
/// date/time as a stored one is not stored again: warning when its content differs) and warns
/// about OP087 (a still valid allocation of this client at this provider missing from the 301).
CrossResult apply_allocations(ledger::Ledger& ledger, const model::Message& m,
                              ledger::MessageId id);

}  // namespace istd::ingest
