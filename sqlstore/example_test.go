package sqlstore_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/kycgate/kycgate"
	"github.com/kycgate/kycgate/envelope"
	"github.com/kycgate/kycgate/jobs"
	"github.com/kycgate/kycgate/sqlstore"
)

func ExampleOpen() {
	ctx := context.Background()
	dir, _ := os.MkdirTemp("", "kycgate")
	defer os.RemoveAll(dir)
	key, _ := envelope.LoadOrCreateMasterKey(filepath.Join(dir, "master.key"))
	// "postgres://user@host/db" selects PostgreSQL instead.
	st, err := sqlstore.Open(ctx, "sqlite://"+filepath.Join(dir, "kycgate.db"), key)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer st.Close()
	// The job runner plugs itself in, so submissions enqueue their job.
	jobs.New(jobs.Config{Store: st, InsertOnly: true})

	a := &kycgate.Applicant{ExternalUserID: "user-42", Level: kycgate.Level2}
	st.CreateApplicant(ctx, a)
	sub := &kycgate.Submission{ApplicantID: a.ID, Steps: []kycgate.StepName{kycgate.StepPersonalData},
		PersonalData: &kycgate.PersonalData{Surname: "SUN"}}
	fmt.Println(st.CreateSubmission(ctx, sub))

	sub.Steps = a.RequiredSteps // personal data, document and selfie
	fmt.Println(st.CreateSubmission(ctx, sub))
	pos, _ := st.QueuePosition(ctx, sub.ID)
	a, _ = st.FindApplicant(ctx, a.ID)
	fmt.Println(a.Status, pos)
	// Output:
	// INVALID_INPUT: missing steps: id_document, selfie
	// <nil>
	// pending 0
}
