"""The Celery app: `celery -A config worker --beat`. Its schedule is CELERY_BEAT_SCHEDULE.

Tasks named in settings.PROMPT_TASKS (someone is waiting on them: the pay page polls until a
settlement has made its order paid) go to a queue of their own, `<default queue>.prompt`, and
every worker takes from it as well as from the default queue, in turn. So a settlement never
waits behind the mail of fifty checkouts (docs/decisions/0005-prompt-embedded-broker.md).

The embedded broker is kombu's filesystem transport with two races closed (FilesystemTransport
below); settings.CELERY_BROKER_TRANSPORT names it when the broker URL is `filesystem://`.
"""

import logging
import os
import uuid
from queue import Empty
from time import monotonic

from celery import Celery
from celery.signals import celeryd_after_setup
from kombu.exceptions import ChannelError
from kombu.transport import filesystem
from kombu.utils.encoding import bytes_to_str, str_to_bytes
from kombu.utils.json import dumps, loads

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

logger = logging.getLogger(__name__)

app = Celery("pasar")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def prompt_queue(celery_app: Celery = app) -> str:
    """Named after the default queue, so that a test run's private queue has its own too."""
    return f"{celery_app.conf.task_default_queue}.prompt"


def route_task(name, args, kwargs, options, task=None, **kw):
    """CELERY_TASK_ROUTES: the prompt tasks to the prompt queue, the rest to the default."""
    from django.conf import settings

    if name in settings.PROMPT_TASKS:
        return {"queue": prompt_queue()}
    return None


@celeryd_after_setup.connect
def consume_prompt_queue(sender, instance, **kwargs) -> None:
    instance.app.amqp.queues.select_add(prompt_queue(instance.app))


class FilesystemChannel(filesystem.Channel):
    """kombu's filesystem channel, without its two races (kombu issue #1551).

    kombu creates a message's file in the queue folder and then writes it, so a consumer polling
    often can take the file while it is still empty: the message is lost and the JSON error
    stops the worker. Here a message is written under a hidden name and renamed into place
    (a rename is atomic), and a consumer takes a file by renaming it within the same folder
    rather than moving it to /tmp (a copy when /tmp is another filesystem, which two consumers
    could both make). A file that still cannot be read is set aside and logged, not fatal.
    Names that start with a dot are never taken as messages (kombu matches `<n>.<queue>.msg`).
    """

    def _put(self, queue, payload, **kwargs):
        name = f"{int(round(monotonic() * 1000))}_{uuid.uuid4()}.{queue}.msg"
        final = os.path.join(self.data_folder_out, name)
        partial = os.path.join(self.data_folder_out, f".{name}.part")
        try:
            with open(partial, "wb") as f:
                f.write(str_to_bytes(dumps(payload)))
            os.replace(partial, final)
        except OSError as exc:
            raise ChannelError(f"Cannot add file {final!r} to directory") from exc

    def _get(self, queue):
        wanted = f"{queue}.msg"
        folder = self.data_folder_in
        for name in sorted(os.listdir(folder)):
            if name.startswith(".") or name.partition(".")[2] != wanted:
                continue
            taken = os.path.join(folder, f".{name}.taken")
            try:
                os.rename(os.path.join(folder, name), taken)
            except OSError:
                continue  # another consumer took it first
            try:
                with open(taken, "rb") as f:
                    payload = f.read()
                if self.store_processed:
                    os.replace(taken, os.path.join(self.processed_folder, name))
                else:
                    os.remove(taken)
            except OSError as exc:
                raise ChannelError(f"Cannot read file {taken!r} from queue.") from exc
            try:
                return loads(bytes_to_str(payload))
            except ValueError:
                logger.error("unreadable message %s in the broker folder set aside", name)
                with open(os.path.join(folder, f".{name}.bad"), "wb") as f:
                    f.write(payload)
        raise Empty()


class FilesystemTransport(filesystem.Transport):
    Channel = FilesystemChannel
