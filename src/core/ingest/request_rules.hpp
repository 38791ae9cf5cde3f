// Cross-message rules of the requests and answers (315, 317, 319; docs/ingest.md), evaluated
// against the ledger and, when clean, recorded in it (requests, answers). The caller wraps a call
// in a Ledger::Savepoint and rolls it back when `rejected()`, as for 301/305/307.
#pragma once

#include "core/ingest/cross_rules.hpp"

namespace istd::ingest {

/// 315: TR347 (9347, ReferentieAanbieder used before by this provider) and TR374 (9374, an open
/// request of this client at this provider) per AangevraagdProduct.
/// 317: on the Verzoek TR347, TR374 and TR349 (9349, an actuele allocation missing); per
/// OngewijzigdProduct TR350 (9350) and TR304 (8187); per TeWijzigenProduct TR351 (9351), TR304,
/// TR357 (9357), TR373 (9373), TR375 (9375), TR411 (9411), TR412 (9412); per NieuwProduct TR361
/// (9361). "Actueel": the current version, not deleted, ending on or after the Dagtekening (or
/// open).
/// 319: TR355 (9355), TR359 (9359), TR360 (9360), TR365 (9365) on the Antwoord.
/// `class_codes` follow the retour's classes in document order: the AangevraagdProducten (316);
/// the Verzoek, then its OngewijzigdProducten, TeWijzigenProducten and NieuwProducten (318); the
/// Antwoord (320).
CrossResult apply_requests(ledger::Ledger& ledger, const model::Message& m, ledger::MessageId id);

}  // namespace istd::ingest
