// A small CSV reader for the reconcile inputs (billing list, contract tariffs): RFC 4180 fields
// (double quotes, "" inside quotes), LF or CRLF, an optional UTF-8 BOM, blank lines ignored.
// Every problem is a ConfigError "FILE:LINE: message".
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace istd::reconcile::csv {

struct Row {
  int line = 0;  ///< 1-based line number in the file
  std::vector<std::string> fields;
};

/// Splits `text` into rows. @throws ConfigError on an unterminated quote.
std::vector<Row> parse(std::string_view text, const std::string& file);

/// Reads a whole file. @throws ConfigError when it cannot be read.
std::string read_file(const std::string& file);

/// Maps the header row to column indexes: `required` must all be present, `optional` may be,
/// nothing else is allowed, no duplicates. Returns, per name of required then optional, the
/// index or -1. @throws ConfigError "FILE:1: ..." naming the problem.
std::vector<int> columns(const Row& header, const std::vector<std::string>& required,
                         const std::vector<std::string>& optional, const std::string& file);

}  // namespace istd::reconcile::csv
