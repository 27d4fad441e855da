// The server's allocation policy (docs/design.md §8 and §5.5). Linked into
// invites-server only: a process-wide replacement of operator new.
//
// Every allocation of 1 MiB or more (the snapshot's columns, a build's
// temporaries, Load results, the encoded snapshot) gets its own mapping,
// returned to the system when freed. glibc's default raises this threshold up
// to 32 MiB after such a free, after which those blocks come from the
// per-thread arenas and freed ones stay resident: measured 591 MB peak and
// 559 MB after a rebuild instead of 399 and 423 MB.
// GLIBC_TUNABLES=glibc.malloc.mmap_threshold=... still overrides it.
//
// Blocks of 4 MiB and more are backed by transparent huge pages. On the
// virtual machines this runs on, the first touch of each 4 KiB page costs
// 15-40 us (a paravirtualized fault), so the 46 MB of one Load's recipient
// lists at 5M accounts took 150-450 ms to fault in; in 2 MiB pages it takes a
// few ms.
#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <new>

namespace {

constexpr int own_mapping_from = 1 << 20;
constexpr std::size_t large_block = std::size_t{4} << 20;

bool threshold_tuned_by_user() {
  const char* tunables = std::getenv("GLIBC_TUNABLES");
  return tunables != nullptr && std::strstr(tunables, "mmap_threshold") != nullptr;
}

// Only then is every large block surely its own mapping, so advice given to
// one never lands on a neighbour (with the user's threshold no advice is given).
const bool large_blocks_mapped = !threshold_tuned_by_user() && mallopt(M_MMAP_THRESHOLD, own_mapping_from) == 1;

void advise_huge_pages(void* block, std::size_t size) {
  static const auto page = static_cast<std::uintptr_t>(sysconf(_SC_PAGESIZE));
  const auto start = reinterpret_cast<std::uintptr_t>(block);
  const std::uintptr_t begin = (start + page - 1) & ~(page - 1);
  const std::uintptr_t end = (start + size) & ~(page - 1);
  // Advice only: where the kernel declines, the block keeps small pages.
  if (large_blocks_mapped && end > begin) madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
}

}  // namespace

// The other forms of new (arrays, nothrow) call this one; delete stays free().
void* operator new(std::size_t size) {
  for (;;) {
    if (void* block = std::malloc(size == 0 ? 1 : size)) {
      if (size >= large_block) advise_huge_pages(block, size);
      return block;
    }
    const std::new_handler handler = std::get_new_handler();
    if (!handler) throw std::bad_alloc();
    handler();
  }
}
