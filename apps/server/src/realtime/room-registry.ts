/** This node's sockets, grouped by room. Other nodes' sockets are reached through the event bus. */

export interface RoomMember {
  /** Sends an already-serialized frame. */
  sendRaw(frame: string): void;
}

export class RoomRegistry<M extends RoomMember = RoomMember> {
  private readonly members = new Map<string, Set<M>>();

  join(room: string, member: M): void {
    let set = this.members.get(room);
    if (!set) {
      set = new Set();
      this.members.set(room, set);
    }
    set.add(member);
  }

  leave(room: string, member: M): void {
    const set = this.members.get(room);
    if (!set) return;
    set.delete(member);
    if (set.size === 0) this.members.delete(room);
  }

  broadcast(room: string, frame: string): number {
    const set = this.members.get(room);
    if (!set) return 0;
    for (const member of set) member.sendRaw(frame);
    return set.size;
  }

  /** A copy of the room's members, safe to iterate while they leave. */
  membersOf(room: string): M[] {
    return [...(this.members.get(room) ?? [])];
  }

  has(room: string): boolean {
    return this.members.has(room);
  }
}
