// The worklist's view of the ledger: allocations with their delivery intervals (the same
// snapshot reconcile judges against, without the claim lines), the input messages' headers and
// the requests (315/317) with their answers.
#include <utility>

#include "core/ledger/reader.hpp"
#include "core/reconcile/snapshot.hpp"
#include "core/worklist/worklist.hpp"

namespace istd::worklist {

Input from_snapshot(const reconcile::LedgerSnapshot& snap, const std::filesystem::path& db) {
  Input in;
  in.allocations.reserve(snap.history.allocations().size());
  for (const auto& a : snap.history.allocations()) {
    AllocationFacts f;
    f.gemeente = a.gemeente;
    f.agb = a.agb;
    f.bsn = a.bsn;
    f.nummer = a.nummer;
    f.ingangsdatum = a.ingangsdatum;
    f.einddatum = a.einddatum;
    f.deleted = a.deleted;
    f.evidence = a.evidence;
    if (const auto* iv = snap.history.intervals(a.gemeente, a.nummer)) f.intervals = *iv;
    in.allocations.push_back(std::move(f));
  }
  const ledger::Reader reader(db);
  reader.for_each_input_header([&](ledger::InputHeader&& h) {
    MessageFacts m;
    m.type = std::move(h.type);
    m.afzender = std::move(h.afzender);
    m.ontvanger = std::move(h.ontvanger);
    m.identificatie = std::move(h.identificatie);
    m.dagtekening = std::move(h.dagtekening);
    m.judged = h.verdict == ledger::Verdict::accepted || h.verdict == ledger::Verdict::rejected;
    m.quarantined = h.quarantined;
    m.answered = h.answered;
    in.messages.push_back(std::move(m));
  });
  for (auto& st : reader.request_statuses()) {
    RequestFacts r;
    r.type = std::move(st.request.type);
    r.gemeente = std::move(st.request.gemeente);
    r.agb = std::move(st.request.agb);
    r.bsn = std::move(st.request.bsn);
    r.referentie = std::move(st.request.referentie);
    r.identificatie = std::move(st.request.identificatie);
    r.dagtekening = std::move(st.request.dagtekening);
    r.summary = std::move(st.request.summary);
    r.open = st.open();
    for (const auto& a : st.answers)
      if (a.verzoek_antwoord == "2") {
        r.in_onderzoek = a.dagtekening;
        r.answer_identificatie = a.identificatie;
        break;
      }
    in.requests.push_back(std::move(r));
  }
  return in;
}

Input load(const std::filesystem::path& db, const reconcile::Policy& policy) {
  reconcile::LoadOptions lo;
  lo.delivery.stop_einddatum_inclusive = policy.einddatum_inclusive;
  lo.birthdates = false;
  lo.history_lines = false;
  return from_snapshot(reconcile::load_snapshot(db, lo), db);
}

}  // namespace istd::worklist
