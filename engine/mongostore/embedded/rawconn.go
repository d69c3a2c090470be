package embedded

import (
	"errors"
	"fmt"
	"unsafe"

	"modernc.org/libc"
	sqlite3 "modernc.org/sqlite/lib"
)

// rawConn is one SQLite connection of the direct writes, driven through
// SQLite's C interface as modernc.org/sqlite translates it to Go, with
// each statement prepared once and reset after each use. Through
// database/sql, modernc.org/sqlite v1.32 prepares a statement anew every
// time it runs, and preparing a write on a table with triggers compiles
// the triggers: about a seventh of the CPU a workflow step cost. A
// rawConn is used by one goroutine at a time (the front holds writes off).
type rawConn struct {
	tls   *libc.TLS
	db    uintptr
	stmts map[string]uintptr
}

// cmem is the memory at address p, which libc allocated for SQLite (its
// heap, never Go's, so the garbage collector neither moves nor frees it).
func cmem(p uintptr) unsafe.Pointer { return *(*unsafe.Pointer)(unsafe.Pointer(&p)) }

// openRaw opens file with the pragmas FerretDB's own connections have
// (embedded.go).
func openRaw(file string) (*rawConn, error) {
	c := &rawConn{tls: libc.NewTLS(), stmts: map[string]uintptr{}}
	name, err := libc.CString(file)
	if err != nil {
		c.tls.Close()
		return nil, err
	}
	defer libc.Xfree(c.tls, name)
	pdb := libc.Xmalloc(c.tls, 8)
	if pdb == 0 {
		c.tls.Close()
		return nil, errors.New("embedded store: out of memory")
	}
	defer libc.Xfree(c.tls, pdb)
	*(*uintptr)(cmem(pdb)) = 0
	rc := sqlite3.Xsqlite3_open_v2(c.tls, name, pdb, sqlite3.SQLITE_OPEN_READWRITE|sqlite3.SQLITE_OPEN_FULLMUTEX, 0)
	c.db = *(*uintptr)(cmem(pdb))
	if rc != sqlite3.SQLITE_OK {
		err := c.errorOf(rc)
		c.close()
		return nil, err
	}
	sqlite3.Xsqlite3_busy_timeout(c.tls, c.db, 10000)
	for _, q := range []string{"PRAGMA journal_mode = wal", "PRAGMA temp_store = memory"} {
		if _, err := c.exec(q); err != nil {
			c.close()
			return nil, fmt.Errorf("%s: %w", q, err)
		}
	}
	return c, nil
}

func (c *rawConn) close() {
	for _, s := range c.stmts {
		sqlite3.Xsqlite3_finalize(c.tls, s)
	}
	c.stmts = nil
	if c.db != 0 {
		sqlite3.Xsqlite3_close_v2(c.tls, c.db)
		c.db = 0
	}
	c.tls.Close()
}

func (c *rawConn) errorOf(rc int32) error {
	msg := ""
	if c.db != 0 {
		msg = libc.GoString(sqlite3.Xsqlite3_errmsg(c.tls, c.db))
	}
	return &sqliteError{code: rc, msg: msg}
}

// sqliteError is an error SQLite reported, with its result code.
type sqliteError struct {
	code int32
	msg  string
}

func (e *sqliteError) Error() string { return fmt.Sprintf("sqlite: %s (%d)", e.msg, e.code) }

// constraint reports whether a statement broke a constraint (a unique
// index's, for one).
func (e *sqliteError) constraint() bool { return e.code&0xff == sqlite3.SQLITE_CONSTRAINT }

// stmt returns q prepared, once per connection.
func (c *rawConn) stmt(q string) (uintptr, error) {
	if s, ok := c.stmts[q]; ok {
		return s, nil
	}
	text, err := libc.CString(q)
	if err != nil {
		return 0, err
	}
	defer libc.Xfree(c.tls, text)
	ps := libc.Xmalloc(c.tls, 8)
	if ps == 0 {
		return 0, errors.New("embedded store: out of memory")
	}
	defer libc.Xfree(c.tls, ps)
	*(*uintptr)(cmem(ps)) = 0
	if rc := sqlite3.Xsqlite3_prepare_v2(c.tls, c.db, text, -1, ps, 0); rc != sqlite3.SQLITE_OK {
		return 0, c.errorOf(rc)
	}
	s := *(*uintptr)(cmem(ps))
	if s == 0 {
		return 0, errors.New("embedded store: empty statement")
	}
	c.stmts[q] = s
	return s, nil
}

// run binds args (as text) to q and steps it: each row's first column
// goes to row, if set. It returns the rows q changed.
func (c *rawConn) run(q string, row func(text string), args ...string) (int, error) {
	s, err := c.stmt(q)
	if err != nil {
		return 0, err
	}
	defer func() {
		sqlite3.Xsqlite3_reset(c.tls, s)
		sqlite3.Xsqlite3_clear_bindings(c.tls, s)
	}()
	for i, a := range args {
		p, err := libc.CString(a)
		if err != nil {
			return 0, err
		}
		// SQLITE_TRANSIENT: SQLite copies the text, which is freed here.
		rc := sqlite3.Xsqlite3_bind_text(c.tls, s, int32(i+1), p, int32(len(a)), sqlite3.SQLITE_TRANSIENT)
		libc.Xfree(c.tls, p)
		if rc != sqlite3.SQLITE_OK {
			return 0, c.errorOf(rc)
		}
	}
	for {
		switch rc := sqlite3.Xsqlite3_step(c.tls, s); rc {
		case sqlite3.SQLITE_DONE:
			return int(sqlite3.Xsqlite3_changes(c.tls, c.db)), nil
		case sqlite3.SQLITE_ROW:
			if row != nil {
				p := sqlite3.Xsqlite3_column_text(c.tls, s, 0)
				n := sqlite3.Xsqlite3_column_bytes(c.tls, s, 0)
				text := ""
				if p != 0 && n > 0 {
					text = string(unsafe.Slice((*byte)(cmem(p)), n))
				}
				row(text)
			}
		default:
			return 0, c.errorOf(rc)
		}
	}
}

// exec runs q, which returns no rows that matter.
func (c *rawConn) exec(q string, args ...string) (int, error) { return c.run(q, nil, args...) }

// queryText returns the first column of q's first row; false if it has
// none.
func (c *rawConn) queryText(q string, args ...string) (string, bool, error) {
	var out string
	found := false
	_, err := c.run(q, func(text string) {
		if !found {
			out, found = text, true
		}
	}, args...)
	return out, found, err
}
