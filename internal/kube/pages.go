package kube

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"

	"k8s.io/client-go/rest"
)

// Limits of a read of the cluster's API, against an API server (or
// whatever answers in its place) that never stops: pageSize objects a
// page, at most maxPages pages (10,000 nodes; an IKS cluster holds far
// fewer, and client-go paces requests at 5 a second), at most
// maxAnswerBytes an answer, and a continue token never twice. Past them
// the read fails; the run goes on.
const (
	pageSize       = 500
	maxPages       = 20
	maxAnswerBytes = 32 << 20
)

// page is one page of a list: its items and the token of the next.
type page[T any] struct {
	Metadata struct {
		Continue string `json:"continue"`
	} `json:"metadata"`
	Items []T `json:"items"`
}

// listPages reads every page of the list req names and hands each item to
// each.
func listPages[T any](ctx context.Context, req func() *rest.Request, each func(T)) error {
	seen := map[string]bool{}
	for cont, n := "", 0; ; n++ {
		if n == maxPages {
			return fmt.Errorf("the list goes on past %d pages of %d", maxPages, pageSize)
		}
		r := req().Param("limit", strconv.Itoa(pageSize))
		if cont != "" {
			r = r.Param("continue", cont)
		}
		var p page[T]
		if err := get(ctx, r, &p); err != nil {
			return err
		}
		for _, it := range p.Items {
			each(it)
		}
		if cont = p.Metadata.Continue; cont == "" {
			return nil
		}
		if seen[cont] {
			return errors.New("the list hands out the same continue token twice")
		}
		seen[cont] = true
	}
}

// get reads one answer into v: an error answer becomes client-go's error
// (an APIStatus, with the API's code and reason), a body past
// maxAnswerBytes an error of its own.
func get(ctx context.Context, r *rest.Request, v any) error {
	body, err := r.Stream(ctx)
	if err != nil {
		return err
	}
	defer body.Close()
	data, err := io.ReadAll(io.LimitReader(body, maxAnswerBytes+1))
	if err != nil {
		return err
	}
	if len(data) > maxAnswerBytes {
		return fmt.Errorf("the answer is larger than %d MiB", maxAnswerBytes>>20)
	}
	return json.Unmarshal(data, v)
}
