// The decision the intake screen sends, built from the picker's fields (the kinds and their
// labels come from Rust in ItemView.decisions; Rust validates what is sent).
import type { IntakeDecision } from "../../bindings/IntakeDecision";
import type { MaterialDefect } from "../../bindings/MaterialDefect";

export type DecisionFields = { supplementBy: string; defects: MaterialDefect[]; reasons: string; referral: string };

export function buildDecision(kind: string, f: DecisionFields): IntakeDecision {
  switch (kind) {
    case "accept_tolerant":
      return { kind: "accept_tolerant", supplement_by: f.supplementBy };
    case "request_correction":
      return { kind: "request_correction", defects: f.defects };
    case "reject":
      return { kind: "reject", reasons: f.reasons, referral: f.referral.trim() ? f.referral : null };
    case "complete_on_spot":
      return { kind: "complete_on_spot", result: "" };
    default:
      return { kind: "accept" };
  }
}
