// Fuzz target: every reader of a file a person supplies. The first byte chooses the reader
// (billing CSV, tariffs CSV, policy file, the service's parties file, an amount in euros); the
// rest is the file's text. A reader either accepts the text or throws ConfigError (a message
// for the person, "FILE:LINE: ..."); anything else is a defect.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/errors.hpp"
#include "core/reconcile/billing.hpp"
#include "core/reconcile/csv.hpp"
#include "core/reconcile/policy.hpp"
#include "core/reconcile/tariffs.hpp"
#include "core/util/money.hpp"
#include "fuzz_env.hpp"
#include "server/parties.hpp"

using namespace istd;

extern "C" int LLVMFuzzerInitialize(int*, char***) { return 0; }

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  try {
    switch (data[0] % 6) {
      case 0: {
        const auto lines = reconcile::parse_billing(text, "billing.csv");
        for (const auto& l : lines)
          if (l.month < 1 || l.month > 12) fuzz::broken("billing: a month outside 1..12");
        break;
      }
      case 1: reconcile::Tariffs::parse(text, "tarieven.csv"); break;
      case 2: {
        const auto p = reconcile::Policy::parse(text, "beleid.txt");
        if (p.start_overdue_days < 0 || p.pause_followup_days < 0)
          fuzz::broken("policy: a negative term");
        break;
      }
      case 3: server::PartyMap::parse(text, "parties.txt"); break;
      case 4: {
        std::string why;
        const auto cents = util::parse_euros(text, &why);
        if (cents) {
          // What is accepted prints back to an amount that means the same.
          const auto again = util::parse_euros(util::format_euros(*cents, util::kEuroDutch));
          if (!again || *again != *cents) fuzz::broken("euros: format/parse round trip");
        } else if (why.empty()) {
          fuzz::broken("euros: refused without a reason");
        }
        break;
      }
      case 5: reconcile::csv::read(text, "lijst.csv", {"bsn", "month"}, {"amount"}); break;
    }
  } catch (const ConfigError&) {
    // The person is told what is wrong: the expected outcome for bad text.
  } catch (...) {
    fuzz::broken("a reader threw something other than ConfigError");
  }
  return 0;
}
