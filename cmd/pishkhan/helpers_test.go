package main

import "github.com/pishkhan/pishkhan/engine"

func newCode() string { return engine.NewTrackingCode() }
