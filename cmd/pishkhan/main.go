// Command pishkhan is the Pishkhan server and its tools.
//
//	pishkhan [serve] [flags]     run the server (the default)
//	pishkhan validate FILE...    check form definitions without a server
//	pishkhan bench [flags]       drive a running Pishkhan with a load mix
//	pishkhan version             print the version
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "pishkhan:", err)
		os.Exit(1)
	}
}
