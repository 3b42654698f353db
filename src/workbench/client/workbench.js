/* global document, window, fetch, DOMParser, URLSearchParams */
'use strict';

// The workbench page: draws one person's Slack as the emulator holds it and sends what they do
// back to the server, which delivers it to the app as Slack would. Everything is built as DOM
// nodes from text (never innerHTML), so nothing the app or a person wrote can run as markup.

const POLL_MS = 700;
const EMOJI = {
  warning: '⚠️',
  x: '❌',
  white_check_mark: '✅',
  rotating_light: '🚨',
  hourglass: '⌛',
  lock: '🔒',
  key: '🔑',
  wave: '👋',
  email: '📧',
  iphone: '📱',
  tada: '🎉',
  information_source: 'ℹ️',
};

const ui = {
  person: window.location.hash.slice(1) || 'U0ALICE',
  tab: 'dm',
  labels: {},
  state: null,
  drawn: {},
  thread: null,
  modalErrors: {},
  svgCache: {},
  busy: false,
};

function el(tag, attributes, children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'text') node.textContent = value;
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children || []) {
    if (child === null || child === undefined || child === false) continue;
    node.append(typeof child === 'string' ? document.createTextNode(child) : child);
  }
  return node;
}

function replace(container, ...children) {
  container.replaceChildren(...children.filter(Boolean));
}

// ---- mrkdwn ----

function decodeEntities(text) {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

function personName(id) {
  if (ui.state && id === ui.state.botUserId) return ui.labels.app;
  const found = ui.state ? ui.state.people.find((person) => person.id === id) : null;
  return found ? found.name : id;
}

/** Slack's mrkdwn: *bold*, _italic_, ~strike~, `code`, ```blocks```, <url|text>, <@U…>, :emoji:, > quotes. */
function mrkdwn(text) {
  const out = el('div', { class: 'mrkdwn' });
  const parts = String(text).split(/```/);
  parts.forEach((part, index) => {
    if (index % 2 === 1) {
      out.append(el('pre', { text: decodeEntities(part) }));
      return;
    }
    const lines = part.split('\n');
    lines.forEach((line, lineIndex) => {
      if (line.startsWith('&gt; ') || line.startsWith('> ')) {
        out.append(el('blockquote', {}, inline(line.replace(/^(&gt;|>) /, ''))));
        return;
      }
      out.append(...inline(line));
      if (lineIndex < lines.length - 1) out.append(el('br'));
    });
  });
  return out;
}

const INLINE =
  /<([^>|]+)(?:\|([^>]+))?>|`([^`]+)`|(^|[^\w*])\*([^*\n]+)\*(?!\w)|(^|[^\w_])_([^_\n]+)_(?!\w)|(^|[^\w~])~([^~\n]+)~(?!\w)|:([a-z0-9_+-]+):/;

function inline(text) {
  const nodes = [];
  let rest = text;
  while (rest.length > 0) {
    const match = INLINE.exec(rest);
    if (!match) {
      nodes.push(decodeEntities(rest));
      break;
    }
    const lead = match[4] ?? match[6] ?? match[8] ?? '';
    if (match.index > 0 || lead) nodes.push(decodeEntities(rest.slice(0, match.index) + lead));
    if (match[1] !== undefined) nodes.push(link(match[1], match[2]));
    else if (match[3] !== undefined) nodes.push(el('code', { text: decodeEntities(match[3]) }));
    else if (match[5] !== undefined) nodes.push(el('strong', {}, inline(match[5])));
    else if (match[7] !== undefined) nodes.push(el('em', {}, inline(match[7])));
    else if (match[9] !== undefined) nodes.push(el('s', {}, inline(match[9])));
    else if (match[10] !== undefined) nodes.push(EMOJI[match[10]] || `:${match[10]}:`);
    rest = rest.slice(match.index + match[0].length);
  }
  return nodes;
}

function link(target, label) {
  if (target.startsWith('@'))
    return el('span', { class: 'mention', text: `@${personName(target.slice(1))}` });
  if (target.startsWith('#')) return el('span', { class: 'mention', text: `#${label || target.slice(1)}` });
  if (target.startsWith('!')) return el('span', { class: 'mention', text: `@${label || target.slice(1)}` });
  const url = decodeEntities(target);
  if (!/^https?:\/\//.test(url)) return decodeEntities(label || target);
  return el('a', {
    href: url,
    target: '_blank',
    rel: 'noopener noreferrer',
    text: decodeEntities(label || url),
  });
}

function textObject(object) {
  if (!object) return el('span');
  return object.type === 'mrkdwn' ? mrkdwn(object.text) : el('span', { text: object.text });
}

function plain(object) {
  return object && typeof object.text === 'string' ? object.text : '';
}

// ---- Block Kit ----

/** `where` says how a click on these blocks reaches the app: a message, a modal or the Home tab. */
function blocks(list, where, modal) {
  return el(
    'div',
    { class: 'blocks' },
    (list || []).map((block) => blockNode(block, where, modal)),
  );
}

function blockNode(block, where, modal) {
  switch (block.type) {
    case 'header':
      return el('h3', { class: 'bk-header', text: plain(block.text) });
    case 'divider':
      return el('hr', { class: 'bk-divider' });
    case 'context':
      return el(
        'div',
        { class: 'bk-context' },
        (block.elements || []).map((item) =>
          item.type === 'image' ? el('span', { text: item.alt_text || '' }) : textObject(item),
        ),
      );
    case 'section':
      return el('div', { class: 'bk-section' }, [
        el('div', { class: 'bk-section-text' }, [
          block.text ? textObject(block.text) : null,
          block.fields
            ? el(
                'div',
                { class: 'bk-fields' },
                block.fields.map((field) => textObject(field)),
              )
            : null,
        ]),
        block.accessory ? element(block.accessory, block, where) : null,
      ]);
    case 'actions':
      return el(
        'div',
        { class: 'bk-actions' },
        (block.elements || []).map((item) => element(item, block, where)),
      );
    case 'input':
      return modal ? inputBlock(block) : null;
    case 'image':
      return el('p', { class: 'bk-context', text: block.alt_text || '' });
    default:
      return el('p', { class: 'bk-unknown', text: `[${block.type}]` });
  }
}

function element(item, block, where) {
  const ids = { blockId: block.block_id || '', actionId: item.action_id || '' };
  if (item.type === 'button') {
    const classes = `bk-button${item.style ? ` bk-${item.style}` : ''}`;
    const label = plain(item.text);
    if (item.url) {
      return el('a', {
        class: classes,
        href: item.url,
        target: '_blank',
        rel: 'noopener noreferrer',
        text: label,
        onclick: () => void act('click', { target: where, ...ids }, true),
      });
    }
    return el('button', {
      type: 'button',
      class: classes,
      text: label,
      onclick: () => void act('click', { target: where, ...ids }),
    });
  }
  if (item.type === 'static_select' || item.type === 'overflow') {
    const select = el(
      'select',
      {
        class: 'bk-select',
        'aria-label': plain(item.placeholder) || ui.labels.selectPlaceholder,
        onchange: (event) => void act('click', { target: where, ...ids, selected: event.target.value }),
      },
      [
        el('option', { value: '', text: plain(item.placeholder) || ui.labels.selectPlaceholder }),
        ...optionNodes(item),
      ],
    );
    return select;
  }
  return el('span', { class: 'bk-unknown', text: `[${item.type}]` });
}

function allOptions(item) {
  const groups = (item.option_groups || []).flatMap((group) => group.options || []);
  return [...(item.options || []), ...groups];
}

function optionNodes(item, selected) {
  return allOptions(item).map((option) =>
    el('option', { value: option.value, text: plain(option.text), selected: option.value === selected }),
  );
}

// ---- Modals ----

function inputBlock(block) {
  const item = block.element || {};
  const id = `in-${block.block_id}`;
  const error = ui.modalErrors[block.block_id];
  const describedBy = error ? `${id}-error` : block.hint ? `${id}-hint` : undefined;
  const common = {
    id,
    'data-block': block.block_id,
    'data-action': item.action_id,
    'data-type': item.type,
    'aria-invalid': error ? 'true' : undefined,
    'aria-describedby': describedBy,
  };
  let control;
  switch (item.type) {
    case 'static_select':
      control = el('select', common, [
        el('option', { value: '', text: plain(item.placeholder) || ui.labels.selectPlaceholder }),
        ...optionNodes(item, item.initial_option ? item.initial_option.value : undefined),
      ]);
      break;
    case 'radio_buttons':
    case 'checkboxes': {
      const chosen = [
        ...(item.initial_option ? [item.initial_option.value] : []),
        ...(item.initial_options || []).map((option) => option.value),
      ];
      control = el(
        'div',
        {
          ...common,
          role: item.type === 'radio_buttons' ? 'radiogroup' : 'group',
          'aria-labelledby': `${id}-label`,
        },
        allOptions(item).map((option) =>
          el('label', { class: 'bk-choice' }, [
            el('input', {
              type: item.type === 'radio_buttons' ? 'radio' : 'checkbox',
              name: id,
              value: option.value,
              checked: chosen.includes(option.value),
            }),
            ` ${plain(option.text)}`,
          ]),
        ),
      );
      break;
    }
    case 'datepicker':
      control = el('input', { ...common, type: 'date', value: item.initial_date });
      break;
    case 'plain_text_input':
      control = item.multiline
        ? el('textarea', { ...common, rows: 4, maxlength: item.max_length, text: item.initial_value || '' })
        : el('input', { ...common, type: 'text', value: item.initial_value, maxlength: item.max_length });
      break;
    case 'email_text_input':
      control = el('input', { ...common, type: 'email', value: item.initial_value });
      break;
    case 'number_input':
      control = el('input', { ...common, type: 'number', value: item.initial_value });
      break;
    default:
      control = el('input', { ...common, type: 'text', value: item.initial_value });
  }
  if (item.placeholder && control.tagName === 'INPUT')
    control.setAttribute('placeholder', plain(item.placeholder));
  const labelTag = item.type === 'radio_buttons' || item.type === 'checkboxes' ? 'span' : 'label';
  return el('div', { class: 'bk-input' }, [
    el(labelTag, { class: 'bk-label', id: `${id}-label`, for: labelTag === 'label' ? id : undefined }, [
      plain(block.label),
      block.optional ? el('span', { class: 'bk-optional', text: ' (optional)' }) : null,
    ]),
    control,
    block.hint ? el('p', { class: 'bk-hint', id: `${id}-hint`, text: plain(block.hint) }) : null,
    error ? el('p', { class: 'bk-error', id: `${id}-error`, text: error }) : null,
  ]);
}

function modalValues(form) {
  const values = {};
  for (const control of form.querySelectorAll('[data-block]')) {
    const block = control.dataset.block;
    const action = control.dataset.action;
    let value;
    if (control.dataset.type === 'checkboxes') {
      value = [...control.querySelectorAll('input:checked')].map((input) => input.value);
    } else if (control.dataset.type === 'radio_buttons') {
      const checked = control.querySelector('input:checked');
      value = checked ? checked.value : null;
    } else {
      value = control.value === '' ? null : control.value;
    }
    values[block] = { [action]: value };
  }
  return values;
}

function drawModal(modal) {
  const container = document.getElementById('wb-modal');
  const key = modal ? JSON.stringify([modal.id, modal.view, ui.modalErrors]) : '';
  if (ui.drawn.modal === key) return;
  const wasOpen = Boolean(ui.drawn.modal);
  ui.drawn.modal = key;
  if (!modal) {
    container.hidden = true;
    container.replaceChildren();
    return;
  }
  const view = modal.view;
  const where = { kind: 'view', viewId: modal.id };
  const form = el(
    'form',
    {
      class: 'wb-modal',
      role: 'dialog',
      'aria-modal': 'true',
      'aria-labelledby': 'wb-modal-title',
      novalidate: true,
      onsubmit: (event) => {
        event.preventDefault();
        void submitModal(modal.id, form);
      },
      onkeydown: (event) => {
        if (event.key === 'Escape') void act('close', { viewId: modal.id });
      },
    },
    [
      el('h2', { id: 'wb-modal-title', text: plain(view.title) }),
      blocks(view.blocks, where, modal),
      el('div', { class: 'wb-modal-buttons' }, [
        el('button', {
          type: 'button',
          class: 'bk-button',
          text: plain(view.close) || ui.labels.close,
          onclick: () => void act('close', { viewId: modal.id }),
        }),
        view.submit
          ? el('button', { type: 'submit', class: 'bk-button bk-primary', text: plain(view.submit) })
          : null,
      ]),
    ],
  );
  replace(container, form);
  container.hidden = false;
  const first = form.querySelector('[aria-invalid=true], input, select, textarea, button');
  if (first && (!wasOpen || Object.keys(ui.modalErrors).length > 0)) first.focus();
}

async function submitModal(viewId, form) {
  const result = await act('submit', { viewId, values: modalValues(form) });
  if (result && result.answer && result.answer.outcome === 'errors') {
    ui.modalErrors = result.answer.errors;
  } else {
    ui.modalErrors = {};
  }
  render();
}

// ---- Conversation ----

function tabsOf(state) {
  return [
    { id: 'dm', label: ui.labels.dm },
    { id: 'home', label: ui.labels.home },
    ...state.channels.map((entry) => ({ id: entry.channel.id, label: `#${entry.channel.name}` })),
  ];
}

function drawTabs(state) {
  const tabs = tabsOf(state);
  if (!tabs.some((tab) => tab.id === ui.tab)) ui.tab = 'dm';
  const key = JSON.stringify([tabs, ui.tab]);
  if (ui.drawn.tabs === key) return;
  ui.drawn.tabs = key;
  replace(
    document.getElementById('wb-tabs'),
    ...tabs.map((tab) =>
      el('button', {
        type: 'button',
        class: 'wb-tab',
        'aria-pressed': tab.id === ui.tab ? 'true' : 'false',
        'data-tab': tab.id,
        text: tab.label,
        onclick: () => void selectTab(tab.id),
      }),
    ),
  );
}

async function selectTab(tab) {
  ui.tab = tab;
  ui.thread = null;
  render();
  if (tab === 'home') await act('home', {});
}

function messageNode(message, channel, replies) {
  const mine = message.user === ui.person;
  const where = { kind: 'message', channel: message.channel, ts: message.ts };
  const body =
    message.blocks && message.blocks.length > 0 ? blocks(message.blocks, where) : mrkdwn(message.text);
  const isChannel = !channel.startsWith('D');
  return el(
    'article',
    {
      class: `wb-message${mine ? ' wb-mine' : ''}${message.ephemeralTo ? ' wb-ephemeral' : ''}`,
      'data-ts': message.ts,
    },
    [
      el('p', { class: 'wb-author' }, [
        el('strong', {
          text: mine ? `${personName(message.user)} (${ui.labels.you})` : personName(message.user),
        }),
        message.ephemeralTo ? el('span', { class: 'wb-only-you', text: ui.labels.onlyYou }) : null,
      ]),
      body,
      replies.length > 0
        ? el(
            'div',
            { class: 'wb-thread', 'aria-label': ui.labels.thread },
            replies.map((reply) => messageNode(reply, channel, [])),
          )
        : null,
      isChannel && !message.threadTs
        ? el('button', {
            type: 'button',
            class: 'wb-link',
            text: ui.labels.reply,
            onclick: () => {
              ui.thread = message.ts;
              render();
              document.getElementById('wb-composer-input').focus();
            },
          })
        : null,
    ],
  );
}

function conversation(channel, messages, emptyText) {
  const top = messages.filter((message) => !message.threadTs || message.threadTs === message.ts);
  const list = el(
    'div',
    { class: 'wb-messages', id: 'wb-messages' },
    top.length === 0
      ? [el('p', { class: 'wb-empty', text: emptyText })]
      : top.map((message) =>
          messageNode(
            message,
            channel,
            messages.filter((reply) => reply.threadTs === message.ts && reply.ts !== message.ts),
          ),
        ),
  );
  return list;
}

function composer(channel) {
  const isDm = channel.startsWith('D');
  const input = el('input', {
    id: 'wb-composer-input',
    type: 'text',
    autocomplete: 'off',
    'aria-label': isDm ? ui.labels.composer : ui.labels.channelComposer,
    placeholder: isDm ? ui.labels.composer : ui.labels.channelComposer,
  });
  const form = el(
    'form',
    {
      class: 'wb-composer',
      onsubmit: (event) => {
        event.preventDefault();
        const text = input.value.trim();
        if (!text) return;
        input.value = '';
        const thread = ui.thread;
        void (isDm
          ? act('say', { text })
          : act('mention', { channel, text, ...(thread ? { threadTs: thread } : {}) }));
      },
    },
    [
      ui.thread ? el('span', { class: 'wb-thread-note', text: ui.labels.thread }) : null,
      input,
      el('button', { type: 'submit', class: 'bk-button bk-primary', text: ui.labels.send }),
    ],
  );
  return form;
}

function drawConversation(state) {
  const pane = document.getElementById('wb-conversation');
  if (!document.getElementById('wb-list')) {
    replace(pane, el('div', { id: 'wb-list' }), el('div', { id: 'wb-composer-slot' }));
    ui.drawn.composerFor = null;
    ui.drawn.conversation = null;
  }
  const list = document.getElementById('wb-list');
  const slot = document.getElementById('wb-composer-slot');
  let key;
  let content;
  if (ui.tab === 'home') {
    key = JSON.stringify(['home', state.home]);
    content = () =>
      state.home
        ? [el('div', { class: 'wb-home' }, [blocks(state.home, { kind: 'home' })])]
        : [el('p', { class: 'wb-empty', text: ui.labels.noHome })];
    if (ui.drawn.composerFor !== null) {
      replace(slot);
      ui.drawn.composerFor = null;
    }
  } else {
    const found = state.channels.find((candidate) => candidate.channel.id === ui.tab);
    const entry =
      ui.tab === 'dm' || !found
        ? { channel: state.dm.channel, messages: state.dm.messages }
        : { channel: found.channel.id, messages: found.messages };
    key = JSON.stringify([ui.tab, entry.messages, ui.thread]);
    content = () => [conversation(entry.channel, entry.messages, ui.labels.noMessages)];
    const composerKey = `${ui.person}:${ui.tab}:${ui.thread}`;
    if (ui.drawn.composerFor !== composerKey) {
      ui.drawn.composerFor = composerKey;
      replace(slot, composer(entry.channel));
    }
  }
  if (ui.drawn.conversation === key) return;
  ui.drawn.conversation = key;
  replace(list, ...content());
  const messages = document.getElementById('wb-messages');
  if (messages) messages.scrollTop = messages.scrollHeight;
}

// ---- Inbox ----

function linkified(text) {
  const nodes = [];
  const pattern = /https?:\/\/[^\s<>"]+/g;
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    nodes.push(text.slice(last, match.index));
    nodes.push(el('a', { href: match[0], target: '_blank', rel: 'noopener noreferrer', text: match[0] }));
    last = match.index + match[0].length;
  }
  nodes.push(text.slice(last));
  return nodes;
}

function drawInbox(state) {
  const key = JSON.stringify(state.inbox);
  if (ui.drawn.inbox === key) return;
  ui.drawn.inbox = key;
  const container = document.getElementById('wb-inbox');
  if (state.inbox.length === 0) {
    replace(container, el('p', { class: 'wb-empty', text: ui.labels.noInbox }));
    return;
  }
  replace(
    container,
    el(
      'ol',
      { class: 'wb-inbox' },
      state.inbox.map((item) => {
        const frame = el('div', { class: 'wb-mail-frame' });
        return el('li', { class: `wb-inbox-item wb-${item.kind}`, 'data-to': item.to }, [
          el('p', { class: 'wb-inbox-head' }, [
            el('strong', { text: item.kind === 'mail' ? ui.labels.mail : ui.labels.sms }),
            ` ${ui.labels.to} ${item.to} · ${new Date(item.at).toLocaleTimeString()}`,
          ]),
          item.subject ? el('p', { class: 'wb-subject', text: item.subject }) : null,
          el('pre', { class: 'wb-inbox-text' }, linkified(item.text)),
          item.hasHtml
            ? el('button', {
                type: 'button',
                class: 'wb-link',
                text: ui.labels.openMail,
                onclick: () =>
                  replace(
                    frame,
                    el('iframe', {
                      src: `/workbench/mail/${encodeURIComponent(item.id)}`,
                      sandbox: 'allow-popups allow-popups-to-escape-sandbox',
                      title: item.subject,
                    }),
                  ),
              })
            : null,
          frame,
        ]);
      }),
    ),
  );
}

// ---- Live diagram ----

async function svgOf(machineId) {
  if (!ui.svgCache[machineId]) {
    const response = await fetch(`/flows/${encodeURIComponent(machineId)}.svg`);
    ui.svgCache[machineId] = response.ok ? await response.text() : '';
  }
  return ui.svgCache[machineId];
}

async function drawDiagram(state) {
  const flow = state.flow;
  const key = JSON.stringify(flow);
  if (ui.drawn.diagram === key) return;
  ui.drawn.diagram = key;
  const container = document.getElementById('wb-diagram');
  const shown = flow.active || flow.finished[0] || null;
  const finished = flow.finished.length
    ? el('div', {}, [
        el('h3', { text: ui.labels.finished }),
        el(
          'ul',
          { class: 'wb-finished' },
          flow.finished.map((item) => el('li', { text: `${item.machineId}: ${item.outcome}` })),
        ),
      ])
    : null;
  if (!shown) {
    replace(container, el('p', { class: 'wb-empty', text: ui.labels.noFlow }), finished);
    return;
  }
  const source = await svgOf(shown.machineId);
  const picture = el('div', { class: 'wb-svg' });
  if (source) {
    const parsed = new DOMParser().parseFromString(source, 'image/svg+xml').documentElement;
    const svg = document.importNode(parsed, true);
    for (const node of svg.querySelectorAll('g.node, g.cluster')) {
      const title = node.querySelector('title');
      const name = title ? title.textContent : '';
      const current = shown.states.some((state) => state === name || state.startsWith(`${name}.`));
      if (current) node.classList.add('wb-current');
    }
    svg.removeAttribute('width');
    svg.removeAttribute('height');
    svg.setAttribute('role', 'img');
    svg.setAttribute('aria-label', `${shown.machineId}: ${shown.states.join(', ')}`);
    picture.append(svg);
  }
  replace(
    container,
    el('p', { class: 'wb-flow-state', id: 'wb-flow-state', 'data-machine': shown.machineId }, [
      el('strong', { text: shown.machineId }),
      ` · ${shown === flow.active ? ui.labels.state : ui.labels.outcome}: `,
      el('code', { text: shown === flow.active ? shown.states.join(', ') : shown.outcome }),
    ]),
    picture,
    finished,
  );
}

// ---- State and actions ----

function drawPeople(state) {
  const select = document.getElementById('wb-person');
  const key = JSON.stringify(state.people);
  if (ui.drawn.people !== key) {
    ui.drawn.people = key;
    replace(
      select,
      ...state.people.map((person) =>
        el('option', {
          value: person.id,
          text: `${person.name} · ${person.role}`,
          selected: person.id === ui.person,
        }),
      ),
    );
  }
  select.value = ui.person;
}

function showError(message) {
  const box = document.getElementById('wb-error');
  box.textContent = message ? `${ui.labels.failed || ''}${message}` : '';
  box.hidden = !message;
}

function render() {
  const state = ui.state;
  if (!state) return;
  drawPeople(state);
  drawTabs(state);
  drawConversation(state);
  drawModal(state.modal);
  drawInbox(state);
  void drawDiagram(state);
  document.body.dataset.busy = ui.busy ? 'true' : 'false';
}

async function refresh() {
  const person = ui.person;
  const response = await fetch(`/workbench/api/state?${new URLSearchParams({ person })}`);
  const body = await response.json();
  if (!response.ok) {
    showError(body.error);
    return;
  }
  if (person !== ui.person) return;
  ui.labels = body.labels;
  ui.state = body.state;
  render();
}

async function act(kind, body, quiet) {
  ui.busy = true;
  document.body.dataset.busy = 'true';
  try {
    const response = await fetch(`/workbench/api/${kind}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ person: ui.person, ...body }),
    });
    const answer = await response.json();
    if (!response.ok && !quiet) showError(answer.error);
    else showError('');
    return answer;
  } catch (error) {
    showError(String(error));
    return null;
  } finally {
    ui.busy = false;
    await refresh();
  }
}

function switchPerson(person) {
  ui.person = person;
  ui.tab = 'dm';
  ui.thread = null;
  ui.modalErrors = {};
  ui.drawn = {};
  window.location.hash = person;
  void refresh();
}

async function poll() {
  try {
    if (!ui.busy) await refresh();
  } finally {
    window.setTimeout(poll, POLL_MS);
  }
}

document.addEventListener('DOMContentLoaded', () => {
  document
    .getElementById('wb-person')
    .addEventListener('change', (event) => switchPerson(event.target.value));
  void poll();
});
