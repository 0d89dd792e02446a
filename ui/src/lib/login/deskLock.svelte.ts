// Whether the desk is behind the lock screen (set by App): the desk's clerk menu pauses its
// idle timer and Ctrl+L while locked and re-arms them once its clerk unlocks.
export const deskLock = $state({ locked: false });
