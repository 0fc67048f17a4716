/**
 * The JS API calls Settings › Tracking shows a developer to paste into the shop's pages. Plain text
 * in a module of its own: e2e/widget-tracking.test.ts runs exactly this on a real page, so the
 * example shown is one that works.
 */
/** The three cart events mean something to the card (cart.ts on the server). */
export const JS_API_EXAMPLE = `// What the visitor does: on their card and timeline, usable in segments.
Parley('track', 'add_to_cart', { amount: 89.9, currency: 'EUR', sku: 'B-42' });
// The cart's total now:
Parley('track', 'cart_updated', { amount: 179.8, currency: 'EUR' });
Parley('track', 'order_placed', { amount: 179.8, currency: 'EUR', orderId: 'A-1001' });

// A single-page shop may say when the page changes (the loader notices too).
Parley('page');

// Open or close the chat from your own button or link.
Parley('open');
Parley('close');`;
