// The catalogue of explanations: for every code istd can emit (rule codes, retourcodes, claim
// signals, abonnementstarief findings, warnings) a title, what it means, the usual cause and what
// to do, in Dutch and English. The texts are data (catalogue.txt beside this file, compiled into
// istd); every output that explains a code (text, JSON, the rapport's Details, report.html,
// `istd explain`) reads them here.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace istd::explain {

enum class Lang { nl, en };

/// "nl" or "en"; anything else is nullopt-like: returns false.
bool parse_lang(std::string_view text, Lang* lang);

struct Entry {
  std::string key;  ///< "TR321", "retourcode 9321", "signal in-pause", ...
  struct Text {
    std::string nl, en;
    const std::string& in(Lang l) const { return l == Lang::nl ? nl : en; }
  };
  Text title, meaning, cause, action;
};

/// Every entry, in the order of catalogue.txt.
/// @throws std::logic_error when the compiled-in catalogue is malformed (a build defect; the
/// catalogue test catches it first).
const std::vector<Entry>& all();

/// The entry of a key, nullptr when there is none.
const Entry* find(std::string_view key);

/// Keys of the kinds of codes istd emits.
std::string rule_key(std::string_view rule_code);         ///< "TR321", "XSD"
std::string retourcode_key(std::string_view retourcode);  ///< "retourcode 9321"
std::string signal_key(std::string_view signal);          ///< "signal in-pause"
std::string at_key(std::string_view reason);              ///< "abonnementstarief pause"
std::string warning_key(std::string_view warning);        ///< "warning start-outside-..."
std::string worklist_key(std::string_view kind);          ///< "worklist start-missing"
std::string cak_key(std::string_view reason);             ///< "cak pause-month"

/// Parses catalogue text (the format of catalogue.txt); `source` names it in errors.
/// @throws std::logic_error "source:LINE: ..." on a malformed entry.
std::vector<Entry> parse(const std::vector<std::string_view>& lines, std::string_view source);

/// The title of a key in a language, or the key itself when the catalogue has no entry.
std::string title_or_key(std::string_view key, Lang lang);

/// The explanation of one key as plain text, several lines ("TR321 - title\n  meaning ...").
std::string to_text(const Entry& e, Lang lang);

}  // namespace istd::explain
