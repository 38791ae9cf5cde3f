// The worklist (`istd worklist`, docs/worklist.md): every obligation the ledger shows as open
// and overdue — a start (305) or stop (307) the provider still owes, a pause that has lasted
// too long without a restart or definitive stop, a retour or a 325 not yet answered — with who
// must act, the due date, how many working days it is overdue and the messages that prove it.
// An item disappears as soon as the message that settles it is in the ledger.
//
// The terms are the standard's monitoring terms, counted in working days of the Algemene
// termijnenwet (util/working_days.hpp): a retour within 3 working days (OP090), a 325 within
// 10 (OP090x4), a 305 within `start_overdue_days` (policy, default 5; OP271), a 307 within 5
// after the allocation's Einddatum (OP272, OP288); a request (315/317) is answered with a 301 or
// 319 within 5 (OP274), and after an answer "in onderzoek" finally within 8 weeks of the
// request (OP346); a pause is followed up after `pause_followup_days` calendar days (policy,
// default 30).
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/delivery/intervals.hpp"
#include "core/model.hpp"
#include "core/reconcile/policy.hpp"

namespace istd::reconcile {
struct LedgerSnapshot;
}

namespace istd::worklist {

using model::Date;

/// A message that proves an item: its type and identification and its Dagtekening.
struct Evidence {
  std::string message;  ///< "WMO301:<Identificatie>"
  std::string date;     ///< its Dagtekening (YYYY-MM-DD; "" when unknown)
};

struct Item {
  std::string kind;   ///< start-missing, stop-missing, pause-open, request-open, retour-missing
  std::string party;  ///< who must act: the provider's AGB or the municipality's code
  std::string party_role;  ///< "aanbieder" or "gemeente"
  std::string gemeente, bsn;
  std::optional<std::int64_t> toewijzing_nummer;
  std::string concerns;  ///< the allocation or message the item is about ("WMO305:<id>")
  std::string awaited;   ///< the message that settles it ("WMO305", "WMO306", "WMO325", ...)
  Date since;            ///< the date the term runs from
  Date due;              ///< the last day of the term
  int overdue_working_days = 0;  ///< working days after `due`, up to today (>= 1)
  std::vector<Evidence> evidence;
  std::string detail;  ///< plain-language sentence (English)
};

// -- Inputs: what the ledger holds, as plain structs ---------------------------------------

/// An allocation's current version with its delivery intervals (live starts and stops).
struct AllocationFacts {
  std::string gemeente, agb, bsn;
  std::int64_t nummer = 0;
  Date ingangsdatum;
  std::optional<Date> einddatum;
  bool deleted = false;
  std::string evidence;  ///< the 301 that holds this version ("WMO301:<id>")
  std::vector<delivery::Interval> intervals;
};

/// An input message (heen or retour) by its header.
struct MessageFacts {
  std::string type;  ///< "WMO301", "WMO302", ..., "WMO323", "WMO325"
  std::string afzender, ontvanger, identificatie, dagtekening;
  bool judged = false;      ///< accepted or rejected (not quarantined, not merely recorded)
  bool quarantined = false; ///< kept aside (never sent on; no retour is due)
  bool answered = false;    ///< istd made its retour or 325
};

/// A request (315/317 reference) with its answers so far.
struct RequestFacts {
  std::string type;  ///< "WMO315" or "WMO317"
  std::string gemeente, agb, bsn, referentie, identificatie, dagtekening, summary;
  bool open = false;  ///< neither honoured by a 301 nor refused by a 319
  /// Dagtekening of the first 319 "in onderzoek" (VerzoekAntwoord 2), "" when none.
  std::string in_onderzoek;
  std::string answer_identificatie;  ///< that 319's Identificatie
};

struct Input {
  std::vector<AllocationFacts> allocations;
  std::vector<MessageFacts> messages;
  std::vector<RequestFacts> requests;
};

struct Options {
  Date today;
  reconcile::Policy policy;
  std::string party;  ///< only items for this party (AGB or gemeente code); "" = all
};

struct Worklist {
  std::vector<Item> items;  ///< most overdue first, then by party, kind, client
  Date today;
};

/// The open obligations in `in` on `options.today`. Pure.
Worklist build(const Input& in, const Options& options);

/// Reads the ledger (read-only) into an Input.
/// @throws ConfigError when the file is not an istd ledger; RuntimeError on database failure.
Input load(const std::filesystem::path& db, const reconcile::Policy& policy);

/// The same from a snapshot already loaded (istd reconcile's), reading only the messages'
/// headers from `db`.
Input from_snapshot(const reconcile::LedgerSnapshot& snapshot, const std::filesystem::path& db);

/// The item kinds, in the order reports list them.
const std::vector<std::string>& kinds();

}  // namespace istd::worklist
