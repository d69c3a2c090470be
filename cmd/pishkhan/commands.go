package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"runtime/debug"

	"github.com/pishkhan/pishkhan/forms"
)

// run dispatches a subcommand.
func run(ctx context.Context, args []string) error {
	cmd := "serve"
	if len(args) > 0 && args[0] != "" && args[0][0] != '-' {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "serve":
		cfg, err := parseConfig(args, os.Getenv, os.Stderr)
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		if err != nil {
			return err
		}
		return serve(ctx, cfg)
	case "validate":
		return validateFiles(args)
	case "bench":
		c, err := parseBench(args, os.Stderr)
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		if err != nil {
			return err
		}
		c.Out = os.Stdout
		_, err = runBench(ctx, c)
		return err
	case "version":
		fmt.Println(version())
		return nil
	case "help", "-h", "--help":
		fmt.Println("usage: pishkhan [serve] [flags] | pishkhan validate FILE... | pishkhan bench [flags] | pishkhan version\n\nRun `pishkhan serve -h` for the settings, `pishkhan bench -h` for the load generator's.")
		return nil
	}
	return fmt.Errorf("unknown command %q (serve, validate, bench, version)", cmd)
}

// validateFiles compiles form definitions offline, so that process owners
// can check them in their own CI before publishing. Fragment references
// cannot be resolved without a server and are reported.
func validateFiles(files []string) error {
	if len(files) == 0 {
		return errors.New("validate: name one or more form definition files")
	}
	failed := 0
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			return err
		}
		var f forms.Form
		if err := decodeStrictFile(data, &f); err != nil {
			fmt.Printf("%s: %v\n", name, err)
			failed++
			continue
		}
		if _, err := forms.Compile(f, nil); err != nil {
			var de *forms.DefinitionError
			if errors.As(err, &de) {
				for _, p := range de.Problems {
					fmt.Printf("%s: %s: %s (%s)\n", name, p.Pointer, p.Message("en"), p.Code)
				}
			} else {
				fmt.Printf("%s: %v\n", name, err)
			}
			failed++
			continue
		}
		fmt.Printf("%s: ok\n", name)
	}
	if failed > 0 {
		return fmt.Errorf("validate: %d of %d file(s) have problems", failed, len(files))
	}
	return nil
}

func version() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		return "pishkhan " + bi.Main.Version
	}
	return "pishkhan (devel)"
}
