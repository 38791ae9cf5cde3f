// Warnings iJw adds to the cross-message rules of a JW301 and a JW315. Both are
// interpretations of the standard without a retourcode: the message is accepted either way,
// and each can be switched off (Options::gezagsdrager_warning, woonplaatsbeginsel_warning;
// docs/ingest.md, "Jeugdwet: two warnings").
#pragma once

#include <vector>

#include "core/finding.hpp"
#include "core/ledger/ledger.hpp"
#include "core/model.hpp"

namespace istd::ingest {

/// Client younger than this on the 301's Dagtekening: someone holds parental authority.
inline constexpr int kGezagsdragerAge = 16;

/// GEZAGSDRAGER-MISSING (OP002) on a JW301: the client is younger than kGezagsdragerAge on the
/// Dagtekening, no Relatie is a parent (Soort 10) or guardian (Soort 11), and no allocated
/// product honours a JW315 of this provider for this client that said GezagsdragerBekend 1.
std::vector<Finding> gezagsdrager_warnings(const ledger::Ledger& ledger, const model::Message& m);

/// WOONPLAATSBEGINSEL on a JW315: the provider's last request for this client was refused with
/// RedenAfwijzingVerzoek 8, naming another gemeente under Woonplaatsbeginsel, and this first
/// request after that refusal goes to a different gemeente than the one named. `id` is this
/// 315's ledger row.
std::vector<Finding> woonplaatsbeginsel_warnings(const ledger::Ledger& ledger,
                                                 const model::Message& m, ledger::MessageId id);

}  // namespace istd::ingest
