package embedded

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"

	"modernc.org/libc"
)

// mapped reports whether address p is in a mapping of this process.
func mapped(t *testing.T, p uintptr) bool {
	t.Helper()
	f, err := os.Open("/proc/self/maps")
	if err != nil {
		t.Skip("no /proc/self/maps:", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		rng, _, _ := strings.Cut(sc.Text(), " ")
		lo, hi, _ := strings.Cut(rng, "-")
		a, err1 := strconv.ParseUint(lo, 16, 64)
		b, err2 := strconv.ParseUint(hi, 16, 64)
		if err1 != nil || err2 != nil {
			t.Fatalf("maps line %q", sc.Text())
		}
		if uint64(p) >= a && uint64(p) < b {
			return true
		}
	}
	return false
}

// A block SQLite frees does not unmap the region it came from: the next
// statement's block of that size reuses it instead of mapping a new one.
func TestFreedSQLiteMemoryStaysMapped(t *testing.T) {
	keepCMemoryRegions()
	tls := libc.NewTLS()
	defer tls.Close()
	for log := cmemoryMinLog; log <= cmemoryMaxLog; log++ {
		size := libc.Tsize_t(1)<<log - 8 // a size that rounds up to the class
		t.Run(fmt.Sprint(size), func(t *testing.T) {
			p := libc.Xmalloc(tls, size)
			if p == 0 {
				t.Fatal("out of memory")
			}
			libc.Xfree(tls, p)
			if !mapped(t, p) {
				t.Errorf("freeing a block of %d bytes unmapped its region", size)
			}
			q := libc.Xmalloc(tls, size)
			defer libc.Xfree(tls, q)
			if q>>20 != p>>20 {
				t.Errorf("the next block of %d bytes came from another region (%#x, then %#x)", size, p, q)
			}
		})
	}
}
