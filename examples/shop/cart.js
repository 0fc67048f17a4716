// Demo shop cart: kept in localStorage, shown on every page's header and on the cart page.
(() => {
  const read = () => {
    try {
      return JSON.parse(localStorage.getItem('shop:cart') || '[]');
    } catch {
      return [];
    }
  };
  const write = (items) => {
    try {
      localStorage.setItem('shop:cart', JSON.stringify(items));
    } catch {
      // A demo without storage simply forgets the cart.
    }
  };
  const count = document.querySelector('[data-cart-count]');
  if (count) count.textContent = String(read().length);

  const add = document.querySelector('[data-add]');
  add?.addEventListener('click', () => {
    const size = document.querySelector('input[name=size]:checked');
    const price = Number(add.dataset.price);
    write([...read(), { name: add.dataset.add, price, size: size ? size.value : '' }]);
    // The JS API (apps/widget/README.md): the operator sees the cart on the visitor's card.
    window.Parley('track', 'add_to_cart', { item: add.dataset.add, amount: price, currency: 'EUR' });
    location.href = 'cart.html';
  });

  const checkout = document.querySelector('[data-checkout]');
  checkout?.addEventListener('click', () => {
    const items = read();
    if (items.length === 0) return;
    const amount = items.reduce((sum, item) => sum + item.price, 0);
    const orderId = `NW-${Date.now().toString(36).toUpperCase()}`;
    window.Parley('track', 'order_placed', { amount, currency: 'EUR', orderId });
    write([]);
    document.querySelector('[data-ordered]').hidden = false;
    document.querySelector('[data-order-id]').textContent = orderId;
    checkout.hidden = true;
  });

  const body = document.querySelector('[data-cart]');
  if (body) {
    const items = read();
    const total = items.reduce((sum, item) => sum + item.price, 0);
    for (const item of items) {
      const row = document.createElement('tr');
      for (const text of [item.name, item.size || '—', `€${item.price}`]) {
        const cell = document.createElement('td');
        cell.textContent = text;
        row.append(cell);
      }
      body.append(row);
    }
    document.querySelector('[data-total]').textContent = `€${total}`;
    document.querySelector('[data-empty]').hidden = items.length > 0;
  }

  document.querySelector('[data-chat]')?.addEventListener('click', () => window.Parley('open'));
})();
