// The server's allocation policy: blocks of 4 MiB and more (the snapshot's
// columns, a Load's recipient lists, a download's buffers) are backed by
// transparent huge pages. On the virtual machines this runs on, the first
// touch of each 4 KiB page costs 15-40 us (a paravirtualized fault), so the
// 46 MB of one Load's recipient lists at 5M accounts took 150-450 ms to
// fault in; in 2 MiB pages it takes a few ms (docs/design.md §5.5). Linked into
// invites-server only: a process-wide replacement of operator new.
#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <new>

namespace {

constexpr std::size_t large_block = std::size_t{4} << 20;

// Blocks this large always get their own mapping (glibc would otherwise move
// its threshold up to 32 MiB and serve them from the heap), so advice given
// to one never lands on a neighbour, and a freed one goes back to the system.
const bool large_blocks_mapped = mallopt(M_MMAP_THRESHOLD, static_cast<int>(large_block)) == 1;

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
