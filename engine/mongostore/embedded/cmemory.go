package embedded

import (
	"sync"

	"modernc.org/libc"
)

// SQLite's memory. modernc.org/sqlite allocates SQLite's memory with
// modernc.org/libc, whose allocator (modernc.org/memory) carves blocks of
// each power-of-two size up to 256 KiB out of 1 MiB regions it maps
// itself, and unmaps a region as soon as its last block is freed. A write
// parses the stored JSON of the document into buffers of a size nothing
// else holds at the time, and frees them when its statement ends: so each
// write mapped a fresh region, faulted its pages in, and unmapped it again,
// two or three system calls and the zeroing of the pages per write (about
// 2.8 a submission, counted with strace). keepCMemoryRegions allocates one
// block of each size once and never frees it: each size's region then
// outlives the statements, which reuse its blocks, and the process holds
// some fifteen regions more, mapped but mostly untouched.

var keepCMemory sync.Once

// cmemoryKept are the blocks keepCMemoryRegions holds, one per size.
var cmemoryKept []uintptr

// Sizes of the allocator's blocks, as powers of two: the smallest (16
// bytes) and the largest it carves from a region (256 KiB).
const (
	cmemoryMinLog = 4
	cmemoryMaxLog = 18
)

func keepCMemoryRegions() {
	keepCMemory.Do(func() {
		tls := libc.NewTLS()
		defer tls.Close()
		for log := cmemoryMinLog; log <= cmemoryMaxLog; log++ {
			if p := libc.Xmalloc(tls, libc.Tsize_t(1)<<log); p != 0 {
				cmemoryKept = append(cmemoryKept, p)
			}
		}
	})
}
