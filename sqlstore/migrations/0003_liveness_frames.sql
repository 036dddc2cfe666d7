-- Hashes of the liveness frames already submitted, and the challenge each
-- answered: frames recorded once cannot answer another challenge (replay
-- defence), whichever process verifies them and after any restart.

CREATE TABLE liveness_frames (
    hash         TEXT PRIMARY KEY,
    challenge_id TEXT NOT NULL,
    created_at   BIGINT NOT NULL
);
