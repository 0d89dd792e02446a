// The menu's keys: one per screen, never F5, and a screen the role lacks never opens.
import { describe, expect, it } from "vitest";
import { screenForKey, screenKey } from "./screens";

describe("screen keys", () => {
  it("gives every screen its own key and never F5", () => {
    const keys = Object.values(screenKey);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).not.toContain("F5");
  });

  it("opens only screens the clerk may open", () => {
    expect(screenForKey("F2", ["home", "intake"])).toBe("intake");
    expect(screenForKey("F6", ["home", "intake", "queue", "delivery", "settings"])).toBeNull();
    expect(screenForKey("F6", ["home", "manager"])).toBe("manager");
    expect(screenForKey("Enter", ["home"])).toBeNull();
  });
});
