// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package checks

import (
	"encoding/json"
	"fmt"
	"sort"

	"github.com/hipaa365/terraform-provider-hipaa/internal/assess/snapshot"
)

func init() {
	register("HIPAA.SCORE.1v1", checkSecureScore)
}

// secureScoreTarget is the share of the maximum Secure Score the advisory control asks for.
const secureScoreTarget = 60.0

func checkSecureScore(s *snapshot.Snapshot, _ Params) Outcome {
	expected := fmt.Sprintf("Microsoft Secure Score is at least %.0f%% of the maximum.", secureScoreTarget)
	var scores []struct {
		CreatedDateTime string      `json:"createdDateTime"`
		CurrentScore    json.Number `json:"currentScore"`
		MaxScore        json.Number `json:"maxScore"`
	}
	if err := decodeList(s, snapshot.GraphSecureScores, &scores); err != nil {
		return errorOutcome(expected, err)
	}
	if len(scores) == 0 {
		return errorOutcome(expected, &snapshot.ErrMissing{ID: snapshot.GraphSecureScores, Reason: "no Secure Score has been computed yet"})
	}
	// The newest score first; the collector asks for $top=1 but a saved snapshot may hold more.
	sort.SliceStable(scores, func(i, j int) bool { return scores[i].CreatedDateTime > scores[j].CreatedDateTime })
	cur, err1 := scores[0].CurrentScore.Float64()
	maxScore, err2 := scores[0].MaxScore.Float64()
	if err1 != nil || err2 != nil || maxScore <= 0 {
		return errorOutcome(expected, fmt.Errorf("source %s has no usable currentScore/maxScore", snapshot.GraphSecureScores))
	}
	pct := cur * 100 / maxScore
	actual := fmt.Sprintf("Secure Score is %.1f of %.0f (%.1f%%).", cur, maxScore, pct)
	if pct >= secureScoreTarget {
		return pass(expected, actual)
	}
	return fail(expected, actual)
}
