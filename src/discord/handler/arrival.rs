//! An interaction as it waits for a place among those being handled: only what the
//! handlers read, taken out of serenity's parsed `Interaction` the moment it arrives.
//!
//! Why: in a burst, thousands of interactions wait at once, and each used to wait as
//! serenity parsed it: 1,488 bytes inline (the largest kind, a button press, sets the
//! size of all) plus its strings: the member and user with their names, locales,
//! the resolved data, and for a press the whole message it is on, embeds included.
//! An [`Arrival`] is ~0.2 KiB plus the token and what was typed. The checks that need
//! the pressed message (is the custom id really on it, is it private) run here, once,
//! so the message itself is never kept.

use std::time::Instant;

use serenity::all::{
    ActionRowComponent, ApplicationId, ButtonKind, ChannelId, CommandDataOptionValue,
    CommandInteraction, ComponentInteraction, ComponentInteractionDataKind, GuildId, Interaction,
    InteractionId, Member, MessageFlags, MessageId, Permissions, ResolvedTarget, RoleId, UserId,
};

use super::To;

/// One interaction to answer.
pub(super) struct Arrival {
    pub id: InteractionId,
    pub app: ApplicationId,
    /// The interaction's token: what a reply is sent with (a credential for 15 minutes).
    pub token: Box<str>,
    pub user: UserId,
    pub channel: ChannelId,
    /// `None` in DMs.
    pub guild: Option<GuildId>,
    /// What the presser or caller may do here (in a server).
    pub member: Option<Access>,
    pub received: Instant,
    pub kind: Kind,
}

/// The member's roles and permissions in this channel, as Discord computed them.
pub(super) struct Access {
    pub roles: Box<[RoleId]>,
    pub permissions: Option<Permissions>,
}

pub(super) enum Kind {
    Command(Command),
    /// What has been typed in the focused option so far.
    Autocomplete(Box<str>),
    Press(Press),
}

/// A slash command or a message command.
pub(super) struct Command {
    pub name: Box<str>,
    /// The top-level options, in order (a subcommand is one, by its name).
    pub options: Box<[CommandOption]>,
    /// Users named in the options (`/faq to:`), as Discord resolved them.
    pub users: Box<[NamedUser]>,
    /// A message command's message.
    pub target: Option<Box<TargetMessage>>,
}

/// The message a message command was used on: what answering it reads (not its embeds,
/// attachments or author's profile).
pub(super) struct TargetMessage {
    pub id: MessageId,
    pub channel_id: ChannelId,
    pub author: UserId,
    pub content: Box<str>,
}

pub(super) struct CommandOption {
    pub name: Box<str>,
    pub value: OptionValue,
}

pub(super) enum OptionValue {
    Text(Box<str>),
    User(UserId),
    /// A subcommand, or a kind no command of ours reads.
    Other,
}

pub(super) struct NamedUser {
    pub id: UserId,
    pub bot: bool,
    /// Discord resolved them with a membership of this server.
    pub member: bool,
}

/// A press on a button or a pick in a menu.
pub(super) struct Press {
    pub custom_id: Box<str>,
    /// A menu's picked values.
    pub values: Box<[String]>,
    /// The custom id (and every picked value) is one of the pressed message's own:
    /// Discord sends whatever a client claims.
    pub on_message: bool,
    /// The pressed message is shown only to the presser.
    pub private: bool,
}

impl Arrival {
    /// What of `interaction` is answered; `None` for kinds the bot does not handle.
    pub fn take(interaction: Interaction, received: Instant) -> Option<Self> {
        match interaction {
            Interaction::Command(cmd) => Some(Self::command(cmd, received, false)),
            Interaction::Autocomplete(cmd) => Some(Self::command(cmd, received, true)),
            Interaction::Component(press) => Some(Self::press(press, received)),
            _ => None,
        }
    }

    fn command(cmd: CommandInteraction, received: Instant, autocomplete: bool) -> Self {
        let kind = if autocomplete {
            let typed = cmd
                .data
                .autocomplete()
                .map(|o| o.value.to_string())
                .unwrap_or_default();
            Kind::Autocomplete(typed.into())
        } else {
            let target = match cmd.data.target() {
                Some(ResolvedTarget::Message(m)) => Some(Box::new(TargetMessage {
                    id: m.id,
                    channel_id: m.channel_id,
                    author: m.author.id,
                    content: m.content.as_str().into(),
                })),
                _ => None,
            };
            let resolved = &cmd.data.resolved;
            Kind::Command(Command {
                name: cmd.data.name.as_str().into(),
                options: cmd
                    .data
                    .options
                    .iter()
                    .map(|o| CommandOption {
                        name: o.name.as_str().into(),
                        value: match &o.value {
                            CommandDataOptionValue::String(s) => {
                                OptionValue::Text(s.as_str().into())
                            }
                            CommandDataOptionValue::User(id) => OptionValue::User(*id),
                            _ => OptionValue::Other,
                        },
                    })
                    .collect(),
                users: resolved
                    .users
                    .iter()
                    .map(|(id, user)| NamedUser {
                        id: *id,
                        bot: user.bot,
                        member: resolved.members.contains_key(id),
                    })
                    .collect(),
                target,
            })
        };
        Arrival {
            id: cmd.id,
            app: cmd.application_id,
            token: cmd.token.into(),
            user: cmd.user.id,
            channel: cmd.channel_id,
            guild: cmd.guild_id,
            member: cmd.member.as_deref().map(Access::of),
            received,
            kind,
        }
    }

    fn press(press: ComponentInteraction, received: Instant) -> Self {
        let values: Box<[String]> = match press.data.kind {
            ComponentInteractionDataKind::StringSelect { ref values } => values.as_slice().into(),
            _ => Box::default(),
        };
        let on_message = is_on_message(&press, &values);
        let private = press
            .message
            .flags
            .is_some_and(|f| f.contains(MessageFlags::EPHEMERAL));
        Arrival {
            id: press.id,
            app: press.application_id,
            token: press.token.into(),
            user: press.user.id,
            channel: press.channel_id,
            guild: press.guild_id,
            member: press.member.as_ref().map(Access::of),
            received,
            kind: Kind::Press(Press {
                custom_id: press.data.custom_id.into(),
                values,
                on_message,
                private,
            }),
        }
    }

    /// Where the reply goes.
    pub fn to(&self) -> To<'_> {
        To {
            id: self.id,
            app: self.app,
            token: &self.token,
            user: self.user,
            channel: self.channel,
            received: self.received,
        }
    }
}

impl Access {
    fn of(member: &Member) -> Self {
        Access {
            roles: member.roles.as_slice().into(),
            permissions: member.permissions,
        }
    }

    pub fn can(&self, permission: Permissions) -> bool {
        self.permissions.is_some_and(|p| p.contains(permission))
    }
}

impl Command {
    fn option(&self, name: &str) -> Option<&OptionValue> {
        self.options
            .iter()
            .find(|o| &*o.name == name)
            .map(|o| &o.value)
    }

    pub fn text(&self, name: &str) -> Option<&str> {
        match self.option(name)? {
            OptionValue::Text(s) => Some(s),
            _ => None,
        }
    }

    pub fn user(&self, name: &str) -> Option<UserId> {
        match self.option(name)? {
            OptionValue::User(id) => Some(*id),
            _ => None,
        }
    }

    /// The subcommand, for a command that has them.
    pub fn subcommand(&self) -> Option<&str> {
        self.options.first().map(|o| &*o.name)
    }
}

/// Whether the pressed custom id is one of the message's own components (and every
/// picked value one of its menu's options).
fn is_on_message(press: &ComponentInteraction, values: &[String]) -> bool {
    let id = press.data.custom_id.as_str();
    let is_menu = matches!(
        press.data.kind,
        ComponentInteractionDataKind::StringSelect { .. }
    );
    press
        .message
        .components
        .iter()
        .flat_map(|row| &row.components)
        .any(|component| match component {
            ActionRowComponent::Button(b) => {
                matches!(&b.data, ButtonKind::NonLink { custom_id, .. } if custom_id == id)
            }
            ActionRowComponent::SelectMenu(menu) => {
                is_menu
                    && menu.custom_id.as_deref() == Some(id)
                    && values
                        .iter()
                        .all(|v| menu.options.iter().any(|o| &o.value == v))
            }
            _ => false,
        })
}
