#include "core/util/read_file.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace istd::util {

void UniqueFd::reset() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

namespace {
std::string fmt_error(const char* what, int err) {
  std::string s = std::string(what) + ": " + std::strerror(err);
  if (err == ENOENT) s += " (moved or deleted after the inputs were listed)";
  return s;
}

const char* kind_of(mode_t mode) {
  if (S_ISDIR(mode)) return "it is a directory";
  if (S_ISFIFO(mode)) return "it is a named pipe (FIFO)";
  if (S_ISSOCK(mode)) return "it is a socket";
  if (S_ISCHR(mode) || S_ISBLK(mode)) return "it is a device";
  return "not a regular file";
}
}  // namespace

ReadFile read_file(const std::filesystem::path& file, std::size_t limit, bool keep_large_open) {
  ReadFile r;
  // O_NONBLOCK: opening a FIFO without a writer would otherwise wait for one (for ever); it is
  // refused below, like anything else that is not a regular file. Regular files ignore it.
  UniqueFd fd(::open(file.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK));
  if (!fd) {
    r.error = fmt_error("cannot open the file", errno);
    return r;
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) {
    r.error = fmt_error("cannot read the file", errno);
    return r;
  }
  if (!S_ISREG(st.st_mode)) {
    r.error = std::string("cannot read the file: ") + kind_of(st.st_mode);
    return r;
  }
  r.size = static_cast<std::size_t>(st.st_size);
  if (r.size > limit) {
    r.status = ReadFile::Status::too_large;
    if (keep_large_open) r.file = std::move(fd);
    return r;
  }
  // One byte more than the size: a file that grew while being read is noticed, not cut short.
  r.bytes.resize(r.size + 1);
  std::size_t got = 0;
  for (;;) {
    const ssize_t n = ::read(fd.get(), r.bytes.data() + got, r.bytes.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      r.error = fmt_error("cannot read the file", errno);
      r.bytes.clear();
      return r;
    }
    if (n == 0) break;
    got += static_cast<std::size_t>(n);
    if (got == r.bytes.size()) {
      r.error = "the file could not be read completely (changed while reading?)";
      r.bytes.clear();
      return r;
    }
  }
  if (got != r.size) {
    r.error = "the file could not be read completely (changed while reading?)";
    r.bytes.clear();
    return r;
  }
  r.bytes.resize(got);
  r.status = ReadFile::Status::ok;
  return r;
}

std::string size_text(std::uint64_t bytes) {
  constexpr std::uint64_t kK = 1024, kM = 1024 * 1024;
  auto unit = [&](std::uint64_t u, const char* name) {
    if (bytes % u == 0) return fmt::format("{} {}", bytes / u, name);
    return fmt::format("{:.1f} {}", static_cast<double>(bytes) / static_cast<double>(u), name);
  };
  if (bytes >= kM) return unit(kM, "MB");
  if (bytes >= kK) return unit(kK, "KB");
  return fmt::format("{} byte{}", bytes, bytes == 1 ? "" : "s");
}

}  // namespace istd::util
