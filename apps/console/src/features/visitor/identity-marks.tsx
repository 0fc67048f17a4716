/**
 * The slot for the visitor's identity beside their name on the card and the full profile: the
 * identity feature (issue 12, `Parley('identify')`) shows the site's user id and whether it was
 * verified here. Until it lands, nothing is shown.
 */
export function IdentityMarks(_props: { visitorId: string }) {
  return null;
}
