package liveness

import (
	"fmt"
	"os"
	"testing"
)

func TestDumpSignals(t *testing.T) {
	if os.Getenv("LIVENESS_DUMP") == "" {
		t.Skip("set LIVENESS_DUMP=1 to print per-frame signals of the real clips")
	}
	td := testdata(t)
	fm := FaceModels{models(t)}
	for _, rel := range []string{"liveness/liveportrait_d0_smile_blink.json", "liveness/liveportrait_d9_glasses_blink.json",
		"liveness/liveportrait_d18_mouth_open.json", "liveness/nodpigeon_head_turning.json", "liveness/nodpigeon_head_nodding.json",
		"liveness/nodpigeon_head_stationary.json"} {
		c, err := LoadClip(td, rel)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Println("==", c.Name, c.Labels)
		for i, f := range c.Frames {
			o, _ := fm.Observe(f.Image)
			if o.Shape == nil {
				fmt.Printf("%3d %6d noface\n", i, f.TimestampMS)
				continue
			}
			s := o.Shape
			fmt.Printf("%3d %6d ear=%.3f mar=%.3f yaw=%+.3f pitch=%.3f\n", i, f.TimestampMS, s.EAR(), s.MAR(), s.Yaw(), s.Pitch())
		}
	}
}
