// The real Intake: `istd ingest`'s engine (ingest::Ingestor) on the ledger. The messages that
// queued up while the ledger thread was busy are taken in together, in one transaction (group
// commit: one commit, and on PostgreSQL one turn of the writers' lock, for the group); a 202
// is sent only after that commit, so it means the message and its retour are committed.
// Listing asks the ledger for the messages routed to a party (ledger::Reader::routed_to, on a
// read-only connection of its own): a message is delivered to the party that is the first
// component of its route_path, which ingest computes when it routes it (retours to the
// heenbericht's Afzender, everything else to the Ontvanger; quarantined input to nobody).
#pragma once

#include <filesystem>
#include <functional>
#include <memory>

#include "core/ingest/ingest.hpp"
#include "server/intake.hpp"

namespace istd {
class SchemaBundle;
}

namespace istd::server {

class LedgerIntake final : public Intake {
 public:
  /// Opens (creates) the ledger and re-materialises files of earlier runs (ingest recovery).
  /// `options.batch_size` is ignored (a group is one transaction). A server runs for days while ingest::Options::today
  /// is fixed: when `today` is given it is asked before every message and the engine is
  /// rebuilt with the new date when it changed.
  /// @throws ConfigError / RuntimeError as ledger::Ledger and ingest::Ingestor do.
  LedgerIntake(const std::filesystem::path& db, std::shared_ptr<const SchemaBundle> schemas,
               ingest::Options options, std::function<model::Date()> today = {});
  ~LedgerIntake() override;

  IntakeResult submit(std::string_view bytes, ValidationResult result) override;
  std::vector<IntakeResult> submit_all(std::vector<Submission>& batch) override;
  std::vector<StoredMessage> list_for(const std::string& party, const Since& since,
                                      std::size_t limit) override;
  void close() override;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace istd::server
