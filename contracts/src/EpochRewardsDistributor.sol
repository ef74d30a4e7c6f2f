// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AccessControlDefaultAdminRules} from "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";

/// @title Pays each epoch's cumulative rewards against a Merkle root of (account, cumulative wei).
/// @notice Leaves are OpenZeppelin StandardMerkleTree leaves of ["address","uint256"]:
///         keccak256(bytes.concat(keccak256(abi.encode(account, cumulativeAmount)))).
///         Roots are submitted epoch by epoch and become claimable after a delay during which an
///         auditor may revoke them. Amounts are cumulative, so a claim against the latest active
///         root pays whatever the account has not claimed yet, whatever epochs it skipped.
///         Roles: one default admin, handed over in two steps after a delay (AccessControlDefaultAdminRules);
///         the settler submits roots; the auditor revokes a pending root; the guardian pauses claims at
///         once, and only the admin resumes them. Submitting and revoking go on while paused, so a wrong
///         root that is already active can be superseded by a corrected next epoch before claims resume.
contract EpochRewardsDistributor is AccessControlDefaultAdminRules, Pausable {
    using SafeERC20 for IERC20;

    bytes32 public constant SETTLER_ROLE = keccak256("SETTLER_ROLE");
    bytes32 public constant AUDITOR_ROLE = keccak256("AUDITOR_ROLE");
    bytes32 public constant GUARDIAN_ROLE = keccak256("GUARDIAN_ROLE");

    struct EpochRoot {
        bytes32 root;
        uint256 cumulativeTotal;
        uint64 activatesAt;
    }

    IERC20 private immutable _token;
    uint64 private immutable _activationDelay;

    uint64 private _latestEpoch;
    mapping(uint64 epoch => EpochRoot) private _roots;
    mapping(address account => uint256) private _claimed;
    uint256 private _totalClaimed;

    event RootSubmitted(uint64 indexed epoch, bytes32 root, uint256 cumulativeTotal, uint64 activatesAt);
    event RootRevoked(uint64 indexed epoch, bytes32 root);
    event Claimed(address indexed account, uint64 indexed epoch, uint256 amount, uint256 cumulativeAmount);

    error EpochOutOfOrder(uint64 expected, uint64 given);
    error ZeroRoot();
    error NotLatestEpoch(uint64 latest, uint64 given);
    error AlreadyActive(uint64 epoch, uint64 activatedAt);
    error NoActiveRoot();
    error InvalidProof();
    error NothingDue(address account, uint256 cumulativeAmount, uint256 claimed);

    /// @param adminTransferDelay_ seconds between accepting a new admin's nomination and its taking over.
    constructor(
        IERC20 token_,
        uint64 activationDelay_,
        uint48 adminTransferDelay_,
        address admin,
        address settler,
        address auditor,
        address guardian
    ) AccessControlDefaultAdminRules(adminTransferDelay_, admin) {
        _token = token_;
        _activationDelay = activationDelay_;
        _grantRole(SETTLER_ROLE, settler);
        _grantRole(AUDITOR_ROLE, auditor);
        _grantRole(GUARDIAN_ROLE, guardian);
    }

    /// @notice Stops claims at once; for the guardian when something looks wrong.
    function pause() external onlyRole(GUARDIAN_ROLE) {
        _pause();
    }

    /// @notice Resumes claims; the admin's decision, not the guardian's.
    function unpause() external onlyRole(DEFAULT_ADMIN_ROLE) {
        _unpause();
    }

    /// @notice Submits the root of `epoch`, which must be `latestEpoch() + 1`; claimable after `activationDelay()`.
    function submitRoot(uint64 epoch, bytes32 root, uint256 cumulativeTotal) external onlyRole(SETTLER_ROLE) {
        if (epoch != _latestEpoch + 1) revert EpochOutOfOrder(_latestEpoch + 1, epoch);
        if (root == bytes32(0)) revert ZeroRoot();
        uint64 activatesAt = uint64(block.timestamp) + _activationDelay;
        _roots[epoch] = EpochRoot(root, cumulativeTotal, activatesAt);
        _latestEpoch = epoch;
        emit RootSubmitted(epoch, root, cumulativeTotal, activatesAt);
    }

    /// @notice Withdraws the latest epoch's root before it becomes active; the epoch may then be submitted again.
    function revokeRoot(uint64 epoch) external onlyRole(AUDITOR_ROLE) {
        if (epoch != _latestEpoch || epoch == 0) revert NotLatestEpoch(_latestEpoch, epoch);
        EpochRoot memory revoked = _roots[epoch];
        if (revoked.activatesAt <= block.timestamp) revert AlreadyActive(epoch, revoked.activatesAt);
        delete _roots[epoch];
        _latestEpoch = epoch - 1;
        emit RootRevoked(epoch, revoked.root);
    }

    /// @notice Pays `cumulativeAmount - claimed(account)` to `account` against the latest active root.
    ///         Anyone may send it; the tokens always go to `account`.
    function claim(address account, uint256 cumulativeAmount, bytes32[] calldata proof) external whenNotPaused {
        uint64 epoch = activeEpoch();
        if (epoch == 0) revert NoActiveRoot();
        bytes32 leaf = keccak256(bytes.concat(keccak256(abi.encode(account, cumulativeAmount))));
        if (!MerkleProof.verifyCalldata(proof, _roots[epoch].root, leaf)) revert InvalidProof();
        uint256 already = _claimed[account];
        if (cumulativeAmount <= already) revert NothingDue(account, cumulativeAmount, already);
        uint256 amount = cumulativeAmount - already;
        _claimed[account] = cumulativeAmount;
        _totalClaimed += amount;
        emit Claimed(account, epoch, amount, cumulativeAmount);
        _token.safeTransfer(account, amount);
    }

    /// @notice The last submitted (not revoked) epoch, 0 when none.
    function latestEpoch() external view returns (uint64) {
        return _latestEpoch;
    }

    /// @notice The root submitted for `epoch`, zero when none (or revoked).
    function epochRoot(uint64 epoch) external view returns (bytes32) {
        return _roots[epoch].root;
    }

    /// @notice The latest epoch whose root is active (its delay is over), 0 when none.
    function activeEpoch() public view returns (uint64) {
        uint64 epoch = _latestEpoch;
        while (epoch > 0 && _roots[epoch].activatesAt > block.timestamp) {
            epoch--;
        }
        return epoch;
    }

    /// @notice The cumulative amount already paid to `account`.
    function claimed(address account) external view returns (uint256) {
        return _claimed[account];
    }

    function token() external view returns (IERC20) {
        return _token;
    }

    function activationDelay() external view returns (uint64) {
        return _activationDelay;
    }

    /// @notice Beyond the listed interface: the cumulative total of `epoch`'s root and when it activates,
    ///         and what has been paid in all, so the settler can check funding before submitting.
    function epochInfo(uint64 epoch) external view returns (uint256 cumulativeTotal, uint64 activatesAt) {
        EpochRoot memory info = _roots[epoch];
        return (info.cumulativeTotal, info.activatesAt);
    }

    function totalClaimed() external view returns (uint256) {
        return _totalClaimed;
    }
}
