#include "core/util/read_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace istd::util {

namespace {
std::string fmt_error(const char* what, int err) {
  return std::string(what) + ": " + std::strerror(err);
}
}  // namespace

ReadFile read_file(const std::filesystem::path& file, std::size_t limit) {
  ReadFile r;
  const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    r.error = fmt_error("cannot open the file", errno);
    return r;
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    r.error = fmt_error("cannot read the file", errno);
    ::close(fd);
    return r;
  }
  if (!S_ISREG(st.st_mode)) {
    r.error = S_ISDIR(st.st_mode) ? "cannot read the file: it is a directory"
                                  : "cannot read the file: not a regular file";
    ::close(fd);
    return r;
  }
  r.size = static_cast<std::size_t>(st.st_size);
  if (r.size > limit) {
    r.status = ReadFile::Status::too_large;
    ::close(fd);
    return r;
  }
  // One byte more than the size: a file that grew while being read is noticed, not cut short.
  r.bytes.resize(r.size + 1);
  std::size_t got = 0;
  for (;;) {
    const ssize_t n = ::read(fd, r.bytes.data() + got, r.bytes.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      r.error = fmt_error("cannot read the file", errno);
      ::close(fd);
      r.bytes.clear();
      return r;
    }
    if (n == 0) break;
    got += static_cast<std::size_t>(n);
    if (got == r.bytes.size()) {
      r.error = "the file could not be read completely (changed while reading?)";
      ::close(fd);
      r.bytes.clear();
      return r;
    }
  }
  ::close(fd);
  if (got != r.size) {
    r.error = "the file could not be read completely (changed while reading?)";
    r.bytes.clear();
    return r;
  }
  r.bytes.resize(got);
  r.status = ReadFile::Status::ok;
  return r;
}

}  // namespace istd::util
